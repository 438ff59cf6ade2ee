package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/uptrace/bun"

	"workrate/access"
	"workrate/auth"
	"workrate/locale"
	"workrate/server"
	"workrate/store"
	"workrate/tenant"
	"workrate/workspace"
)

// The demo client: the first workspace of the demo back office, with a
// portal login that shows every tool. Its password is set as permanent (for
// this demo only) so that the printed login keeps working; real clients get a
// temporary password and choose their own at the first sign-in.
const demoClientPassword = "demo-client-pass-2026"

// demoPortal makes sure the first demo workspace has an enabled portal account and a populated Client Portal section
// (audit events and sign-in attempts); it returns the client's login.
func demoPortal(ctx context.Context, db *bun.DB, cfg server.Config, a *tenant.Agency) (map[string]string, error) {
	owner, err := auth.NewStore(db).StaffByEmail(ctx, a.ID, demoOwnerEmail)
	if err != nil {
		return nil, fmt.Errorf("demo owner: %w", err)
	}
	first := demoClients()[0]
	w, err := demoClientWorkspace(ctx, workspace.NewStore(db), a.ID, first.name)
	if err != nil {
		return nil, err
	}
	email := first.contact

	resolver := tenant.NewResolver(db, tenant.Config{PlatformHost: cfg.PlatformHost, AgencyDomain: cfg.AgencyDomain, PlatformName: cfg.PlatformName})
	if err := resolver.Load(ctx); err != nil {
		return nil, err
	}
	bundle, err := locale.New()
	if err != nil {
		return nil, err
	}
	pool := auth.NewHashPool(0, auth.DefaultParams())
	svc := access.New(db, pool, resolver, bundle, access.Config{TempPasswordTTL: cfg.TempPasswordTTL, HTTPAddr: cfg.HTTPAddr, HTTPSAddr: cfg.HTTPSAddr})
	actor := access.Actor{Kind: access.ActorStaff, ID: owner.ID, Name: owner.Name}
	host := resolver.AgencyHost(a.Slug)

	acct, err := svc.Account(ctx, a.ID, w.ID)
	if errors.Is(err, store.ErrNotFound) {
		// First run: create access as staff would, with a temporary password,
		// and let the section show a little history.
		tools := []string{"dashboard", "tickets", "messages", "tasks", "invoices"}
		res, err := svc.Save(ctx, *a, w.ID, actor, access.Input{Enabled: true, LoginEmail: ptr(email), GeneratePassword: true, Tools: &tools})
		if err != nil {
			return nil, fmt.Errorf("demo portal access: %w", err)
		}
		for _, try := range []access.LoginRequest{
			{Email: email, Password: "coffee-2025", IP: "198.51.100.23", Host: host, Agency: a},
			{Email: email, Password: res.TemporaryPassword, IP: "198.51.100.23", Host: host, Agency: a},
		} {
			_, _ = svc.Login(ctx, try) // a wrong password, then the right one
		}
		acct = res.Account
	} else if err != nil {
		return nil, err
	}
	// The demo's password must keep working: set it (again) when it does not.
	ok, err := auth.VerifyPassword(acct.PasswordHash, demoClientPassword)
	if acct.PasswordHash == "" || err != nil || !ok || !acct.Enabled || acct.MustChangePassword {
		all := []string{"dashboard", "tickets", "messages", "tasks", "invoices"}
		if _, err := svc.Save(ctx, *a, w.ID, actor, access.Input{Enabled: true, TemporaryPassword: demoClientPassword, Permanent: true, Tools: &all}); err != nil {
			return nil, fmt.Errorf("demo client password: %w", err)
		}
	}
	return map[string]string{
		"url":      svc.LoginURL(*a),
		"email":    email,
		"password": demoClientPassword,
		"note":     "demo only: this client password is permanent so that it keeps working; real clients get a temporary password and choose their own at the first sign-in",
	}, nil
}

// demoClientWorkspace finds the demo workspace called name.
func demoClientWorkspace(ctx context.Context, ws *workspace.Store, agencyID, name string) (*workspace.Workspace, error) {
	page, err := ws.Workspaces(ctx, agencyID, name, workspace.ListOptions{Limit: 10})
	if err != nil {
		return nil, err
	}
	for i := range page.Items {
		if page.Items[i].Name == name {
			return &page.Items[i], nil
		}
	}
	return nil, fmt.Errorf("demo workspace %q: %w", name, store.ErrNotFound)
}
