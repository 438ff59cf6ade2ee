package tenant

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/driver/pgdriver"
)

// NotifyChannel is where PostgreSQL announces changes to agencies, domains and
// brandings (triggers of the migrations).
const NotifyChannel = "workrate_tenant"

// Listen keeps the host map in step with every other instance: it LISTENs on a
// dedicated PostgreSQL connection (which must not go through a transaction-
// pooling PgBouncer) and applies each change at once. When the connection
// drops it reconnects with backoff and reloads everything, since notifications
// sent meanwhile are lost; the periodic Refresh remains the fallback.
func (r *Resolver) Listen(ctx context.Context, db *bun.DB) {
	backoff := 100 * time.Millisecond
	for ctx.Err() == nil {
		err := r.listenOnce(ctx, db, func() { backoff = 100 * time.Millisecond })
		if ctx.Err() != nil {
			return
		}
		slog.WarnContext(ctx, "tenant: change listener lost its connection; reconnecting", "err", err, "in", backoff)
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 2*time.Second)
	}
}

// listenOnce listens until the connection fails; connected is called once listening.
func (r *Resolver) listenOnce(ctx context.Context, db *bun.DB, connected func()) error {
	ln := pgdriver.NewListener(db)
	defer ln.Close()
	if err := ln.Listen(ctx, NotifyChannel); err != nil {
		return err
	}
	connected()
	// Anything may have changed while we were not listening.
	if err := r.Load(ctx); err != nil {
		return err
	}
	for {
		// A timeout lets a dead connection be noticed: the listener pings it.
		_, payload, err := ln.ReceiveTimeout(ctx, 30*time.Second)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if isTimeout(err) {
				if err := db.PingContext(ctx); err != nil {
					return err
				}
				continue
			}
			return err
		}
		if host, ok := strings.CutPrefix(payload, "domain-removed:"); ok {
			r.ForgetDomain(host)
			continue
		}
		if err := r.Refresh(ctx); err != nil {
			slog.WarnContext(ctx, "tenant: refresh after notification failed", "err", err)
		}
	}
}

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}
