package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/uptrace/bun"

	"workrate/certs"
	"workrate/field"
	"workrate/locale"
	"workrate/server"
	"workrate/store"
	"workrate/tenant"
)

// cliDomain is a domain as the domain commands print it.
type cliDomain struct {
	Agency string `json:"agency"`
	tenant.DomainView
}

// parseWithHostname parses flags that may come before or after the one
// positional HOSTNAME argument, and returns it.
func parseWithHostname(fs *flag.FlagSet, args []string) (string, error) {
	return parseWithArg(fs, args, "HOSTNAME")
}

// parseWithArg parses flags that may come before or after the one
// positional argument (called name in errors), and returns it.
func parseWithArg(fs *flag.FlagSet, args []string, name string) (string, error) {
	if err := fs.Parse(args); err != nil {
		return "", err
	}
	rest := fs.Args()
	if len(rest) == 0 {
		return "", fmt.Errorf("%s is required: %w", name, errUsage)
	}
	host := rest[0]
	if err := fs.Parse(rest[1:]); err != nil {
		return "", err
	}
	if fs.NArg() > 0 {
		return "", fmt.Errorf("unexpected argument %q: %w", fs.Arg(0), errUsage)
	}
	return host, nil
}

// domainService is the custom-domain service of the command line: no running
// host map or certificates here; the server picks the changes up by itself.
func domainService(db *bun.DB, cfg server.Config) *certs.Domains {
	return &certs.Domains{
		Store:    tenant.NewStore(db),
		Verifier: certs.NewVerifier(cfg.DNSResolver, cfg.CNAMETarget),
		Platform: server.PlatformDomains(cfg),
	}
}

// findDomain returns the domain named by a hostname as typed, of any agency.
func findDomain(ctx context.Context, s *certs.Domains, input string) (*tenant.Domain, error) {
	host, err := tenant.NormalizeHost(input)
	if err != nil {
		return nil, fmt.Errorf("%q is not a hostname", input)
	}
	d, err := s.Store.DomainByHostname(ctx, host)
	if errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("no domain %q", host)
	}
	return d, err
}

// printDomain prints a domain with its agency's slug.
func printDomain(ctx context.Context, out io.Writer, s *certs.Domains, d *tenant.Domain) error {
	a, err := s.Store.AgencyByID(ctx, d.AgencyID)
	if err != nil {
		return err
	}
	return printJSON(out, cliDomain{Agency: a.Slug, DomainView: d.View(s.CNAMETarget())})
}

// domainMessage explains a refused hostname on the command line, in the
// words the back office uses (English).
func domainMessage(err error) error {
	fe := field.As(err)
	if fe == nil {
		return err
	}
	bundle, berr := locale.New()
	if berr != nil {
		return err
	}
	return errors.New(bundle.Localizer("en").FieldMessage(fe))
}
