package main

import (
	"context"
	"fmt"
	"io"

	"github.com/uptrace/bun"

	"workrate/backup"
	"workrate/server"
	"workrate/store"
)

func runBackup(ctx context.Context, args []string, out io.Writer) error {
	fs := newFlags("backup", out)
	config := server.RegisterFlags(fs)
	to := fs.String("to", "", "a new or empty directory to write the backup into")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *to == "" {
		return fmt.Errorf("--to is required: %w", errUsage)
	}
	src, err := openUnmigrated(ctx, config)
	if err != nil {
		return err
	}
	defer src.DB.Close()
	m, err := backup.Backup(ctx, src, *to)
	if err != nil {
		return err
	}
	return printJSON(out, map[string]any{"backup": *to, "manifest": m})
}

func runRestore(ctx context.Context, args []string, out io.Writer) error {
	fs := newFlags("restore", out)
	config := server.RegisterFlags(fs)
	from := fs.String("from", "", "the backup directory (written by workrate backup)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *from == "" {
		return fmt.Errorf("--from is required: %w", errUsage)
	}
	dst, err := openUnmigrated(ctx, config)
	if err != nil {
		return err
	}
	defer dst.DB.Close()
	r, err := backup.Restore(ctx, *from, dst)
	if err != nil {
		return err
	}
	return printJSON(out, r)
}

// openUnmigrated opens the configured database through its direct URL
// (the client tools and long copies bypass a transaction pooler) without
// applying migrations: a backup does not change the schema it copies, and a
// restore decides itself which migrations to run.
func openUnmigrated(ctx context.Context, config func() (server.Config, error)) (backup.Source, error) {
	cfg, err := config()
	if err != nil {
		return backup.Source{}, err
	}
	var db *bun.DB
	if db, err = store.Open(cfg.DirectURL); err != nil {
		return backup.Source{}, err
	}
	if err := store.Ping(ctx, db); err != nil {
		db.Close()
		return backup.Source{}, fmt.Errorf("database unreachable: %w", err)
	}
	return backup.Source{DB: db, URL: cfg.DirectURL, SecretKeyEnv: cfg.SecretKey != ""}, nil
}
