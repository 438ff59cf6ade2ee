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

// Demo logins, printed by `workrate demo`. They are for a local trial only.
const (
	demoSlug          = "northwind"
	demoOwnerEmail    = "owner@northwind.example"
	demoOwnerPassword = "demo-owner-pass-2026"
)

func runDemo(ctx context.Context, args []string, out io.Writer) error {
	fs := newFlags("demo", out)
	config := server.RegisterFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg, db, err := openConfigured(ctx, config)
	if err != nil {
		return err
	}
	defer db.Close()
	a, err := tenant.NewStore(db).AgencyBySlug(ctx, demoSlug)
	if errors.Is(err, store.ErrNotFound) {
		a, err = createAgency(ctx, db, "Northwind Creative", demoSlug, demoOwnerEmail, "Nora Winters", demoOwnerPassword)
	}
	if err != nil {
		return fmt.Errorf("demo agency: %w", err)
	}
	if err := brandDemo(ctx, db, a.ID); err != nil {
		return fmt.Errorf("demo branding: %w", err)
	}
	logins, err := fillDemoBackOffice(ctx, db, a)
	if err != nil {
		return fmt.Errorf("demo back office: %w", err)
	}
	client, err := demoPortal(ctx, db, cfg, a)
	if err != nil {
		return fmt.Errorf("demo client portal: %w", err)
	}
	port := portOf(cfg.HTTPAddr)
	host := a.Slug + "." + cfg.AgencyDomain + port
	return printJSON(out, map[string]any{
		"agency": a.Name,
		"staff":  map[string]string{"url": "http://" + host + "/staff/login", "email": demoOwnerEmail, "password": demoOwnerPassword},
		"portal": map[string]string{"url": "http://" + host + "/login"},
		// Every staff sign-in of the demo team (owner, admin, member).
		"staff_logins": logins,
		// The client login of the first demo workspace, every portal tool enabled.
		"client": client,
		// What the agency's clients see instead of the platform's name.
		"platform_name": demoPlatformName,
	})
}

// portOf returns ":8080" for ":8080" and "" for the default HTTP port.
func portOf(addr string) string {
	for i := len(addr) - 1; i >= 0; i-- {
		if addr[i] == ':' {
			if addr[i:] == ":80" {
				return ""
			}
			return addr[i:]
		}
	}
	return ""
}
