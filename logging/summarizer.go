// Package logging holds the log handler that summarises repeated errors.
package logging

import (
	"context"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"sync"
	"time"
)

// maxKeys bounds the distinct errors remembered at once; past it, records
// pass through unsummarised rather than growing memory without limit.
const maxKeys = 1000

// Summarizer is a slog.Handler that lets the first of a run of identical
// warnings or errors through and counts the rest: once per interval it
// writes one line with how many were held back. During a database outage
// that is a few lines per interval instead of two per failed request.
// Records are identical when they have the same level, message, "err"
// (with ids and numbers masked) and "status". Info and below pass through.
type Summarizer struct {
	next  slog.Handler
	attrs []slog.Attr // attributes added with WithAttrs, for the key
	state *summaryState
}

type summaryState struct {
	interval time.Duration
	mu       sync.Mutex
	runs     map[string]*run
}

// run is one error being summarised: when its interval started, the first
// record (to repeat its attributes), the handler it went to, and the count
// held back since.
type run struct {
	since time.Time
	first slog.Record
	to    slog.Handler
	held  int
}

// NewSummarizer wraps next; interval is how often held-back counts are written.
func NewSummarizer(next slog.Handler, interval time.Duration) *Summarizer {
	return &Summarizer{next: next, state: &summaryState{interval: interval, runs: map[string]*run{}}}
}

// Enabled reports whether next handles level.
func (s *Summarizer) Enabled(ctx context.Context, level slog.Level) bool {
	return s.next.Enabled(ctx, level)
}

// WithAttrs returns a Summarizer sharing this one's counts.
func (s *Summarizer) WithAttrs(as []slog.Attr) slog.Handler {
	return &Summarizer{next: s.next.WithAttrs(as), attrs: append(s.attrs[:len(s.attrs):len(s.attrs)], as...), state: s.state}
}

// WithGroup returns a Summarizer sharing this one's counts.
func (s *Summarizer) WithGroup(name string) slog.Handler {
	return &Summarizer{next: s.next.WithGroup(name), attrs: s.attrs, state: s.state}
}

// Handle writes r, or counts it when an identical record was written less
// than an interval ago.
func (s *Summarizer) Handle(ctx context.Context, r slog.Record) error {
	if r.Level < slog.LevelWarn {
		return s.next.Handle(ctx, r)
	}
	k := s.key(r)
	st := s.state
	st.mu.Lock()
	due := st.due(r.Time, false)
	cur, seen := st.runs[k]
	switch {
	case seen:
		cur.held++
		st.mu.Unlock()
		return flush(ctx, due)
	case len(st.runs) < maxKeys:
		st.runs[k] = &run{since: r.Time, first: r.Clone(), to: s.next}
	}
	st.mu.Unlock()
	if err := flush(ctx, due); err != nil {
		return err
	}
	return s.next.Handle(ctx, r)
}

// Flush writes the counts of every run whose interval has ended; a caller
// runs it now and then so that the last count of an outage is written too.
func (s *Summarizer) Flush(ctx context.Context) error {
	s.state.mu.Lock()
	due := s.state.due(time.Now(), false)
	s.state.mu.Unlock()
	return flush(ctx, due)
}

// Run flushes every interval until ctx ends, then once more.
func (s *Summarizer) Run(ctx context.Context) {
	t := time.NewTicker(s.state.interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			s.state.mu.Lock()
			due := s.state.due(time.Now(), true)
			s.state.mu.Unlock()
			_ = flush(context.Background(), due)
			return
		case <-t.C:
			_ = s.Flush(ctx)
		}
	}
}

// due removes the runs whose interval ended before now (all of them with
// all set) and returns the summaries to write for those that held records
// back. Called with mu held.
func (st *summaryState) due(now time.Time, all bool) []summary {
	var out []summary
	for k, r := range st.runs {
		if !all && now.Sub(r.since) < st.interval {
			continue
		}
		delete(st.runs, k)
		if r.held > 0 {
			out = append(out, summary{run: r, until: now})
		}
	}
	return out
}

type summary struct {
	*run
	until time.Time
}

func flush(ctx context.Context, due []summary) error {
	for _, d := range due {
		r := slog.NewRecord(d.until, d.first.Level, d.first.Message+" (repeated)", 0)
		d.first.Attrs(func(a slog.Attr) bool {
			r.AddAttrs(a)
			return true
		})
		r.AddAttrs(slog.Int("repeated", d.held), slog.Duration("within", d.until.Sub(d.since).Round(time.Second)))
		if err := d.to.Handle(ctx, r); err != nil {
			return err
		}
	}
	return nil
}

// volatile matches what differs between otherwise identical errors: ids,
// numbers, addresses.
var volatile = regexp.MustCompile(`[0-9a-fA-F]{8}-[0-9a-fA-F-]{4,}|[0-9]+`)

// key says which records are identical.
func (s *Summarizer) key(r slog.Record) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d|%s", r.Level, r.Message)
	add := func(a slog.Attr) bool {
		switch a.Key {
		case "err", "error":
			b.WriteString("|err=" + volatile.ReplaceAllString(a.Value.String(), "#"))
		case "status":
			b.WriteString("|status=" + a.Value.String())
		}
		return true
	}
	for _, a := range s.attrs {
		add(a)
	}
	r.Attrs(add)
	return b.String()
}
