package main

import (
	"context"
	"io"

	"workrate/server"
)

// runDomainApprove marks a domain verified without DNS (the operator checked
// by other means); the running server then serves it and obtains its certificate.
func runDomainApprove(ctx context.Context, args []string, out io.Writer) error {
	fs := newFlags("domain approve", out)
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
	if d, err = s.Approve(ctx, d); err != nil {
		return err
	}
	return printDomain(ctx, out, s, d)
}
