package main

import (
	"context"
	"io"

	"workrate/certs"
	"workrate/server"
	"workrate/tenant"
)

// domainAction returns the subcommand that finds a custom domain by its
// hostname, applies act to it and prints the outcome.
func domainAction(name string, act func(*certs.Domains, context.Context, *tenant.Domain) (*tenant.Domain, error)) func(context.Context, []string, io.Writer) error {
	return func(ctx context.Context, args []string, out io.Writer) error {
		fs := newFlags(name, out)
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
		if d, err = act(s, ctx, d); err != nil {
			return err
		}
		return printDomain(ctx, out, s, d)
	}
}

// runDomainVerify checks a domain's DNS now and prints the outcome.
var runDomainVerify = domainAction("domain verify", (*certs.Domains).Check)

// runDomainApprove marks a domain verified without DNS (the operator checked
// by other means); the running server then serves it and obtains its certificate.
var runDomainApprove = domainAction("domain approve", (*certs.Domains).Approve)
