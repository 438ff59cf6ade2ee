package logging_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"workrate/logging"
)

func record(at time.Time, level slog.Level, msg string, attrs ...slog.Attr) slog.Record {
	r := slog.NewRecord(at, level, msg, 0)
	r.AddAttrs(attrs...)
	return r
}

func lines(buf *bytes.Buffer) []string {
	return strings.Split(strings.TrimSpace(buf.String()), "\n")
}

func TestRepeatedErrorsAreSummarised(t *testing.T) {
	var buf bytes.Buffer
	s := logging.NewSummarizer(slog.NewTextHandler(&buf, nil), time.Minute)
	ctx := context.Background()
	t0 := time.Date(2026, 12, 3, 6, 0, 0, 0, time.UTC)

	// An outage: every failed request logs the error and its request line.
	for i := range 500 {
		at := t0.Add(time.Duration(i) * 100 * time.Millisecond) // 50 s
		id := fmt.Sprintf("01a23a90-36af-770a-bb06-%012d", i)
		if err := s.Handle(ctx, record(at, slog.LevelWarn, "database unavailable",
			slog.Any("err", errors.New("workspace: create ticket in "+id+": dial tcp 10.0.0.5:5432: connect: connection refused")),
			slog.String("path", "/api/v1/workspaces/"+id+"/tickets"))); err != nil {
			t.Fatal(err)
		}
		if err := s.Handle(ctx, record(at, slog.LevelError, "request", slog.Int("status", 503), slog.String("id", id))); err != nil {
			t.Fatal(err)
		}
		if err := s.Handle(ctx, record(at, slog.LevelInfo, "request", slog.Int("status", 200))); err != nil {
			t.Fatal(err)
		}
	}
	// Another error is not the same error; another status is not the same line.
	_ = s.Handle(ctx, record(t0, slog.LevelError, "request failed", slog.Any("err", errors.New("template: no such page"))))
	_ = s.Handle(ctx, record(t0, slog.LevelError, "request", slog.Int("status", 500)))

	got := lines(&buf)
	if want := 2 + 500 + 2; len(got) != want {
		t.Fatalf("%d lines during the outage; want %d (first of each error, the info lines, the other errors):\n%s", len(got), want, buf.String())
	}
	buf.Reset()

	// The next interval: its first record brings the count of the last one.
	_ = s.Handle(ctx, record(t0.Add(2*time.Minute), slog.LevelWarn, "database unavailable",
		slog.Any("err", errors.New("workspace: create ticket in 01a23a90-36af-770a-bb06-000000000999: dial tcp 10.0.0.5:5432: connect: connection refused"))))
	out := buf.String()
	if !strings.Contains(out, `msg="database unavailable (repeated)"`) || !strings.Contains(out, "repeated=499") ||
		!strings.Contains(out, `msg="request (repeated)"`) {
		t.Errorf("after the interval, want the held-back counts (499 of each):\n%s", out)
	}
	if n := strings.Count(out, `msg="database unavailable"`); n != 1 {
		t.Errorf("the new interval's first error written %d times:\n%s", n, out)
	}
}

func TestSummaryWrittenWhenTheErrorsStop(t *testing.T) {
	var buf bytes.Buffer
	s := logging.NewSummarizer(slog.NewTextHandler(&buf, nil), time.Minute)
	logger := slog.New(s).With("component", "test")
	for range 3 {
		logger.Error("database unavailable", "err", errors.New("connection refused"))
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	s.Run(ctx) // returns at once, writing what is held back
	out := buf.String()
	if len(lines(&buf)) != 2 || !strings.Contains(out, "repeated=2") || !strings.Contains(out, "component=test") {
		t.Errorf("want the first error and a count of 2 with its attributes:\n%s", out)
	}
}
