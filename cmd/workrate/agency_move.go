package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"workrate/backup"
	"workrate/server"
)

func runAgencyExport(ctx context.Context, args []string, out io.Writer) error {
	fs := newFlags("agency export", out)
	config := server.RegisterFlags(fs)
	to := fs.String("to", "", "the archive file to write (gzip'd JSON lines; it must not exist)")
	rest, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if *to == "" || len(rest) != 1 {
		return fmt.Errorf("want SLUG --to FILE: %w", errUsage)
	}
	src, err := openUnmigrated(ctx, config)
	if err != nil {
		return err
	}
	defer src.DB.Close()
	// Written beside its final name and renamed when complete: a failed
	// export leaves no file that looks whole. Readable by its owner only: it
	// holds password hashes.
	tmp, err := os.CreateTemp(filepath.Dir(*to), ".export-*")
	if err != nil {
		return fmt.Errorf("agency export: %w", err)
	}
	defer os.Remove(tmp.Name())
	moved, err := backup.Export(ctx, src.DB, rest[0], tmp)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if _, err := os.Stat(*to); err == nil {
		return fmt.Errorf("agency export: %s exists: choose a new file", *to)
	}
	if err := os.Rename(tmp.Name(), *to); err != nil {
		return fmt.Errorf("agency export: %w", err)
	}
	return printJSON(out, map[string]any{"file": *to, "agency": moved.Agency, "tables": moved.Tables})
}

func runAgencyImport(ctx context.Context, args []string, out io.Writer) error {
	fs := newFlags("agency import", out)
	config := server.RegisterFlags(fs)
	rest, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return fmt.Errorf("want FILE: %w", errUsage)
	}
	f, err := os.Open(rest[0])
	if err != nil {
		return fmt.Errorf("agency import: %w", err)
	}
	defer f.Close()
	_, db, err := openConfigured(ctx, config)
	if err != nil {
		return err
	}
	defer db.Close()
	moved, err := backup.Import(ctx, db, f)
	if err != nil {
		return err
	}
	return printJSON(out, map[string]any{"agency": moved.Agency, "tables": moved.Tables})
}

// parseInterspersed parses flags placed before or after the positional
// arguments ("SLUG --to FILE" as well as "--to FILE SLUG") and returns the latter.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return rest, nil
		}
		rest = append(rest, fs.Arg(0))
		args = fs.Args()[1:]
	}
}
