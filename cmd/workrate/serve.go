package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/uptrace/bun"

	"workrate/migrations"
	"workrate/server"
	"workrate/store"
)

// newFlags returns a flag set for a subcommand whose errors are returned, not printed and exited.
func newFlags(name string, out io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("workrate "+name, flag.ContinueOnError)
	fs.SetOutput(out)
	return fs
}

// openDB opens the configured database and applies pending migrations.
// openConfigured reads the configuration (flags, then environment) and opens
// its database with openDB.
func openConfigured(ctx context.Context, config func() (server.Config, error)) (server.Config, *bun.DB, error) {
	cfg, err := config()
	if err != nil {
		return cfg, nil, err
	}
	db, err := openDB(ctx, cfg)
	return cfg, db, err
}

func openDB(ctx context.Context, cfg server.Config) (*bun.DB, error) {
	db, err := store.Open(cfg.DatabaseURL)
	if err != nil {
		return nil, err
	}
	if err := store.Ping(ctx, db); err != nil {
		db.Close()
		return nil, fmt.Errorf("database unreachable: %w", err)
	}
	if _, err := migrate(ctx, cfg); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// migrate applies pending migrations through the direct connection: the
// migration lock is a session-level lock that a transaction pooler would break.
func migrate(ctx context.Context, cfg server.Config) ([]string, error) {
	db, err := store.Open(cfg.DirectURL)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	return migrations.Run(ctx, db)
}

func runServe(ctx context.Context, args []string, out io.Writer) error {
	fs := newFlags("serve", out)
	config := server.RegisterFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg, db, err := openConfigured(ctx, config)
	if err != nil {
		return err
	}
	defer db.Close()
	app, err := server.New(ctx, cfg, db)
	if err != nil {
		return err
	}
	return app.Run(ctx)
}

func runMigrate(ctx context.Context, args []string, out io.Writer) error {
	fs := newFlags("migrate", out)
	config := server.RegisterFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg, err := config()
	if err != nil {
		return err
	}
	applied, err := migrate(ctx, cfg)
	if err != nil {
		return err
	}
	if applied == nil {
		applied = []string{}
	}
	return printJSON(out, map[string]any{"applied": applied})
}
