package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"workrate/server"
	"workrate/store"
	"workrate/tenant"
)

// runDomainAdd claims a hostname for an agency and prints the DNS records to create.
func runDomainAdd(ctx context.Context, args []string, out io.Writer) error {
	fs := newFlags("domain add", out)
	config := server.RegisterFlags(fs)
	slug := fs.String("agency", "", "the agency's slug")
	host, err := parseWithHostname(fs, args)
	if err != nil {
		return err
	}
	if *slug == "" {
		return fmt.Errorf("--agency is required: %w", errUsage)
	}
	cfg, db, err := openConfigured(ctx, config)
	if err != nil {
		return err
	}
	defer db.Close()
	s := domainService(db, cfg)
	a, err := tenant.NewStore(db).AgencyBySlug(ctx, *slug)
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("no agency with slug %q", *slug)
	}
	if err != nil {
		return err
	}
	d, err := s.Add(ctx, a.ID, host)
	if err != nil {
		return domainMessage(err)
	}
	return printDomain(ctx, out, s, d)
}
