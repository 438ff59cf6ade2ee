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

// runDomainList prints every custom domain (or one agency's) with both statuses.
func runDomainList(ctx context.Context, args []string, out io.Writer) error {
	fs := newFlags("domain list", out)
	config := server.RegisterFlags(fs)
	slug := fs.String("agency", "", "only this agency's domains")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q: %w", fs.Arg(0), errUsage)
	}
	cfg, db, err := openConfigured(ctx, config)
	if err != nil {
		return err
	}
	defer db.Close()
	s := domainService(db, cfg)
	var ds []tenant.Domain
	if *slug != "" {
		a, err := s.Store.AgencyBySlug(ctx, *slug)
		if errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("no agency with slug %q", *slug)
		}
		if err != nil {
			return err
		}
		ds, err = s.Store.DomainsOf(ctx, a.ID)
		if err != nil {
			return err
		}
	} else if ds, err = s.Store.AllDomains(ctx, 0, 0); err != nil {
		return err
	}
	slugs := map[string]string{}
	list := make([]cliDomain, 0, len(ds))
	for i := range ds {
		id := ds[i].AgencyID
		if _, ok := slugs[id]; !ok {
			a, err := s.Store.AgencyByID(ctx, id)
			if err != nil {
				return err
			}
			slugs[id] = a.Slug
		}
		list = append(list, cliDomain{Agency: slugs[id], DomainView: ds[i].View(s.CNAMETarget())})
	}
	return printJSON(out, list)
}
