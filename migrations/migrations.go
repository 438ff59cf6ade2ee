// Package migrations holds the schema as append-only SQL files and applies them.
package migrations

import (
	"context"
	"embed"
	"fmt"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/migrate"

	"workrate/store"
)

//go:embed sql/*.sql
var files embed.FS

// advisoryKey is the PostgreSQL advisory lock that lets one instance migrate at a time.
const advisoryKey = 7_302_019_411

// all returns the embedded migrations.
func all() (*migrate.Migrations, error) {
	ms := migrate.NewMigrations()
	if err := ms.Discover(files); err != nil {
		return nil, fmt.Errorf("migrations: discover: %w", err)
	}
	for _, register := range []func(*migrate.Migrations) error{registerTenantNotify, registerWorkspaceVersion} {
		if err := register(ms); err != nil {
			return nil, fmt.Errorf("migrations: register: %w", err)
		}
	}
	return ms, nil
}

// Run applies every pending migration and returns the names it applied.
// Two processes starting together cannot both run them: on PostgreSQL the
// first holds an advisory lock while the second waits for it. Each migration
// runs in one transaction, so a crash leaves none half applied.
func Run(ctx context.Context, db *bun.DB) ([]string, error) {
	ms, err := all()
	if err != nil {
		return nil, err
	}
	m := migrate.NewMigrator(db, ms, migrate.WithMarkAppliedOnSuccess(true))
	if store.IsPostgres(db) {
		conn, err := db.Conn(ctx)
		if err != nil {
			return nil, fmt.Errorf("migrations: connection for lock: %w", err)
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock(?)", advisoryKey); err != nil {
			return nil, fmt.Errorf("migrations: advisory lock: %w", err)
		}
		defer func() {
			_, _ = conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock(?)", advisoryKey)
		}()
		return apply(ctx, m)
	}
	names, err := apply(ctx, m)
	if err != nil {
		// Another process on the same SQLite file may have applied them first:
		// every migration runs in one transaction, so nothing is half done.
		if pending, perr := Pending(ctx, db); perr == nil && len(pending) == 0 {
			return nil, nil
		}
		return nil, err
	}
	return names, nil
}

func apply(ctx context.Context, m *migrate.Migrator) ([]string, error) {
	if err := m.Init(ctx); err != nil {
		return nil, fmt.Errorf("migrations: init: %w", err)
	}
	group, err := m.Migrate(ctx)
	if err != nil {
		return nil, fmt.Errorf("migrations: apply: %w", err)
	}
	var names []string
	if group != nil {
		for _, mig := range group.Migrations {
			names = append(names, mig.Name)
		}
	}
	return names, nil
}

// Pending returns the names of migrations not yet applied.
func Pending(ctx context.Context, db *bun.DB) ([]string, error) {
	ms, err := all()
	if err != nil {
		return nil, err
	}
	m := migrate.NewMigrator(db, ms)
	if err := m.Init(ctx); err != nil {
		return nil, fmt.Errorf("migrations: init: %w", err)
	}
	missing, err := m.MissingMigrations(ctx)
	if err != nil {
		return nil, fmt.Errorf("migrations: status: %w", err)
	}
	var names []string
	for _, mig := range missing {
		names = append(names, mig.Name)
	}
	return names, nil
}
