package event

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/uptrace/bun"

	"workrate/store"
)

// Consumer reacts to events. Handle runs inside the dispatcher's transaction
// with tx: what it writes (a notification, an e-mail in the mail outbox, a
// webhook delivery) commits together with the event's dispatched mark, so an
// event is handed on exactly once or, after a failure, again as a whole. A
// consumer must not do anything slow or outside the database in Handle:
// sending is the job of its own worker.
type Consumer interface {
	Name() string
	Handle(ctx context.Context, tx bun.IDB, e *Event) error
}

// Dispatcher hands written events to the consumers. Every instance runs one:
// on PostgreSQL each claims a batch with FOR UPDATE SKIP LOCKED, so two never
// hand on the same event; on SQLite writers are serialized anyway.
type Dispatcher struct {
	DB        *bun.DB
	Consumers []Consumer
	Batch     int           // events per transaction (default 100)
	Interval  time.Duration // pause between rounds when idle (default 1 s)
	// MaxAttempts is how often a failing event is retried before it is set
	// aside with its last error (default 10).
	MaxAttempts int
}

func (d *Dispatcher) batch() int {
	if d.Batch <= 0 {
		return 100
	}
	return d.Batch
}

func (d *Dispatcher) maxAttempts() int {
	if d.MaxAttempts <= 0 {
		return 10
	}
	return d.MaxAttempts
}

// Run dispatches until stop ends; the current batch runs on work, so a
// shutdown lets it finish.
func (d *Dispatcher) Run(stop, work context.Context) {
	interval := d.Interval
	if interval <= 0 {
		interval = time.Second
	}
	for {
		n, err := d.RunOnce(work)
		if err != nil && work.Err() == nil {
			slog.WarnContext(work, "event dispatch failed", "err", err)
		}
		if n > 0 && err == nil {
			if stop.Err() != nil {
				return
			}
			continue // more may be waiting
		}
		select {
		case <-stop.Done():
			return
		case <-time.After(interval):
		}
	}
}

// failure is a consumer's error on one event of a batch.
type failure struct {
	id  string
	err error
}

func (f *failure) Error() string { return fmt.Sprintf("event %s: %v", f.id, f.err) }

// RunOnce dispatches one batch of due events and returns how many it handed
// on. When a consumer fails on an event, the batch is rolled back and that
// event alone backs off; the next round hands on the others.
func (d *Dispatcher) RunOnce(ctx context.Context) (int, error) {
	var n int
	err := d.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		n = 0
		var due []Event
		q := tx.NewSelect().Model(&due).
			Where("dispatched_at IS NULL AND next_at <= ?", store.Now()).
			Order("next_at", "id").Limit(int64(d.batch()))
		if store.IsPostgres(tx) {
			q = q.For("UPDATE SKIP LOCKED")
		}
		if err := q.Scan(ctx); err != nil {
			return fmt.Errorf("claim: %w", store.Translate(err))
		}
		ids := make([]string, 0, len(due))
		for i := range due {
			for _, c := range d.Consumers {
				if err := c.Handle(ctx, tx, &due[i]); err != nil {
					return &failure{due[i].ID, fmt.Errorf("%s: %w", c.Name(), err)}
				}
			}
			ids = append(ids, due[i].ID)
		}
		if len(ids) == 0 {
			return nil
		}
		_, err := tx.NewUpdate().Model((*Event)(nil)).Set("dispatched_at = ?", store.Now()).
			Where("id IN (?)", bun.List(ids)).Exec(ctx)
		n = len(ids)
		return store.Translate(err)
	})
	var f *failure
	if errors.As(err, &f) {
		if berr := d.backOff(ctx, f); berr != nil {
			return 0, errors.Join(err, berr)
		}
	}
	if err != nil {
		return 0, fmt.Errorf("event: dispatch: %w", err)
	}
	return n, nil
}

// backOff records a failed event: it is retried after 2^attempts seconds
// (at most an hour), and after MaxAttempts it is set aside as dispatched with
// its error kept, so one broken event never blocks the stream for good.
func (d *Dispatcher) backOff(ctx context.Context, f *failure) error {
	var e Event
	if err := d.DB.NewSelect().Model(&e).Where("id = ?", f.id).Scan(ctx); err != nil {
		return fmt.Errorf("event: back off %s: %w", f.id, store.Translate(err))
	}
	e.Attempts++
	now := store.Now()
	q := d.DB.NewUpdate().Model((*Event)(nil)).Where("id = ?", f.id).
		Set("attempts = ?", e.Attempts).Set("last_error = ?", cut(f.err.Error(), 2000))
	if e.Attempts >= d.maxAttempts() {
		slog.ErrorContext(ctx, "event set aside after repeated failures", "event", e.ID, "kind", e.Kind, "err", f.err)
		q = q.Set("dispatched_at = ?", now)
	} else {
		q = q.Set("next_at = ?", now.Add(Backoff(e.Attempts, time.Hour)))
	}
	if _, err := q.Exec(ctx); err != nil {
		return fmt.Errorf("event: back off %s: %w", f.id, store.Translate(err))
	}
	return nil
}

// Backoff is the pause before retry number attempt (1, 2, …): 2^attempt
// seconds, at most limit. The mail and webhook workers use it too.
func Backoff(attempt int, limit time.Duration) time.Duration {
	if attempt < 1 {
		attempt = 1
	}
	if attempt > 30 {
		return limit
	}
	return min(time.Duration(1<<attempt)*time.Second, limit)
}
