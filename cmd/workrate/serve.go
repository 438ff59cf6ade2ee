package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/uptrace/bun"

	"workrate/logging"
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
	// A database still starting (a container started with it, a restart)
	// is waited for, with backoff, for at most WORKRATE_DB_WAIT.
	err = store.WaitFor(ctx, db, cfg.DBWait, func(err error, pause time.Duration) {
		slog.Warn("waiting for the database", "err", err, "retry_in", pause)
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("database unreachable: %w", err)
	}
	applied, err := migrate(ctx, cfg)
	if err != nil {
		db.Close()
		return nil, err
	}
	if len(applied) > 0 {
		slog.Info("migrations applied", "count", len(applied), "names", applied)
	} else {
		slog.Info("schema up to date: no migration to apply")
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

// logSummaryInterval is how often counts of repeated errors are written.
const logSummaryInterval = 30 * time.Second

func runServe(ctx context.Context, args []string, out io.Writer) error {
	fs := newFlags("serve", out)
	config := server.RegisterFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	// Repeated identical errors (a database outage) are written once, then
	// counted: a few lines a minute instead of two per failed request. (A new
	// text handler as main's, not a wrapper of the default one: wrapping
	// slog's initial default handler would loop through package log.)
	summarizer := logging.NewSummarizer(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}), logSummaryInterval)
	slog.SetDefault(slog.New(summarizer))
	logCtx, stopLogs := context.WithCancel(context.WithoutCancel(ctx))
	logsDone := make(chan struct{})
	go func() { summarizer.Run(logCtx); close(logsDone) }()
	defer func() { stopLogs(); <-logsDone }()

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
