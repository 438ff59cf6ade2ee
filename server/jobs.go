package server

import (
	"context"
	"log/slog"
	"time"

	"github.com/uptrace/bun"

	"workrate/auth"
	"workrate/formtoken"
	"workrate/idempotency"
	"workrate/store"
)

// cleanupKey is the advisory lock that lets one instance at a time clean up.
const cleanupKey = 7_302_019_412

// attemptsKept is how long sign-in attempts stay for troubleshooting.
const attemptsKept = 30 * 24 * time.Hour

// every runs job now and then every interval until stop ends. Each round
// runs on work, not on stop, so a shutdown lets the current round finish
// (work ends only when the shutdown timeout is near); no new round starts.
// Every instance runs the jobs: they claim or lock what they do.
func (a *App) every(stop, work context.Context, interval time.Duration, name string, job func(context.Context) error) {
	if interval <= 0 {
		interval = 10 * time.Second
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if err := job(work); err != nil && work.Err() == nil {
			slog.WarnContext(work, name+" failed", "err", err)
		}
		select {
		case <-stop.Done():
			return
		case <-t.C:
		}
	}
}

// cleanup removes ended sessions and old sign-in attempts. On PostgreSQL a
// transaction-scoped advisory lock makes other instances skip a round that
// one instance is already doing.
func (a *App) cleanup(ctx context.Context) error {
	policy := auth.SessionPolicy{Idle: a.cfg.SessionIdle, Max: a.cfg.SessionMax}
	return a.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if store.IsPostgres(tx) {
			var got bool
			if err := tx.NewRaw("SELECT pg_try_advisory_xact_lock(?)", cleanupKey).Scan(ctx, &got); err != nil {
				return err
			}
			if !got {
				return nil // another instance is on it
			}
		}
		s := auth.NewStore(tx)
		sessions, err := s.DeleteExpiredSessions(ctx, policy)
		if err != nil {
			return err
		}
		attempts, err := s.DeleteOldAttempts(ctx, attemptsKept)
		if err != nil {
			return err
		}
		replays, err := idempotency.Sweep(ctx, tx) // stored API answers older than 24 h
		if err != nil {
			return err
		}
		tokens, err := formtoken.Sweep(ctx, tx) // form tokens older than 24 h
		if err != nil {
			return err
		}
		if sessions+attempts+replays+tokens > 0 {
			slog.InfoContext(ctx, "cleanup", "sessions", sessions, "attempts", attempts, "idempotency_keys", replays, "form_tokens", tokens)
		}
		return nil
	})
}

// Cleanup runs one round of cleanup now (tests, and operators via a future command).
func (a *App) Cleanup(ctx context.Context) error { return a.cleanup(ctx) }
