package main

import (
	"context"
	"io"

	"workrate/server"
)

// runDomainVerify checks a domain's DNS now and prints the outcome.
func runDomainVerify(ctx context.Context, args []string, out io.Writer) error {
	fs := newFlags("domain verify", out)
	config := server.RegisterFlags(fs)
	host, err := parseWithHostname(fs, args)
	if err != nil {
		return err
	}
	cfg, db, err := openConfigured(ctx, config)
	if err != nil {
		return err
	}
	defer db.Close()
	s := domainService(db, cfg)
	d, err := findDomain(ctx, s, host)
	if err != nil {
		return err
	}
	if d, err = s.Check(ctx, d); err != nil {
		return err
	}
	return printDomain(ctx, out, s, d)
}
