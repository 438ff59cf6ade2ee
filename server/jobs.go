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

// runCleanup removes ended sessions and old sign-in attempts every interval.
// Every instance runs it; on PostgreSQL a transaction-scoped advisory lock makes
// the others skip a round that one instance is already doing.
func (a *App) runCleanup(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if err := a.cleanup(ctx); err != nil && ctx.Err() == nil {
			slog.WarnContext(ctx, "cleanup failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

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
