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

// The demo client: a workspace with realistic data and a portal login that
// shows every tool. Its password is set as permanent (for this demo only) so
// that the printed login keeps working; real clients get a temporary password
// and choose their own at the first sign-in.
const (
	demoClientWorkspace = "Acme Bakery"
	demoClientEmail     = "hello@acme-bakery.example"
	demoClientPassword  = "demo-client-pass-2026"
)

// demoPortal makes sure the demo agency has the client workspace, filled
// once, with an enabled portal account and a populated Client Portal section
// (audit events and sign-in attempts); it returns the client's login.
func demoPortal(ctx context.Context, db *bun.DB, cfg server.Config, a *tenant.Agency) (map[string]string, error) {
	ws := workspace.NewStore(db)
	owner, err := auth.NewStore(db).StaffByEmail(ctx, a.ID, demoOwnerEmail)
	if err != nil {
		return nil, fmt.Errorf("demo owner: %w", err)
	}
	staff := workspace.Actor{Kind: workspace.ActorStaff, ID: owner.ID, Name: owner.Name}
	w, err := demoWorkspace(ctx, ws, a.ID, staff)
	if err != nil {
		return nil, err
	}

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
		res, err := svc.Save(ctx, *a, w.ID, actor, access.Input{Enabled: true, LoginEmail: ptr(demoClientEmail), GeneratePassword: true, Tools: &tools})
		if err != nil {
			return nil, fmt.Errorf("demo portal access: %w", err)
		}
		for _, try := range []access.LoginRequest{
			{Email: demoClientEmail, Password: "acme-bakery-2025", IP: "198.51.100.23", Host: host, Agency: a},
			{Email: demoClientEmail, Password: res.TemporaryPassword, IP: "198.51.100.23", Host: host, Agency: a},
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
		"email":    demoClientEmail,
		"password": demoClientPassword,
		"note":     "demo only: this client password is permanent so that it keeps working; real clients get a temporary password and choose their own at the first sign-in",
	}, nil
}

// demoWorkspace finds the demo client's workspace, or creates and fills it.
func demoWorkspace(ctx context.Context, ws *workspace.Store, agencyID string, staff workspace.Actor) (*workspace.Workspace, error) {
	page, err := ws.Workspaces(ctx, agencyID, demoClientWorkspace, workspace.ListOptions{Limit: 10})
	if err != nil {
		return nil, err
	}
	for i := range page.Items {
		if page.Items[i].Name == demoClientWorkspace {
			return &page.Items[i], nil
		}
	}
	w, err := ws.CreateWorkspace(ctx, agencyID, staff, workspace.WorkspaceInput{Name: demoClientWorkspace, ContactEmail: "owner@acme-bakery.example"})
	if err != nil {
		return nil, fmt.Errorf("demo workspace: %w", err)
	}
	sc := w.StaffScope()
	client := workspace.Actor{Kind: workspace.ActorClient, ID: "demo", Name: demoClientWorkspace}
	steps := []func() error{
		func() error {
			for _, t := range []workspace.TaskInput{
				{Title: "Homepage redesign", Description: "New hero with the seasonal cakes.\nMobile first.", Status: workspace.TaskInProgress, DueOn: "2026-12-15"},
				{Title: "Online ordering form", Description: "Pick-up date and time, allergy notes.", Status: workspace.TaskReview, DueOn: "2026-12-05"},
				{Title: "Christmas menu photos", Description: "Shoot in the shop on a Monday morning.", Status: workspace.TaskTodo, DueOn: "2026-12-10"},
				{Title: "Logo refresh", Description: "Final files delivered.", Status: workspace.TaskDone},
			} {
				if _, err := ws.CreateTask(ctx, sc, staff, t); err != nil {
					return err
				}
			}
			return nil
		},
		func() error {
			if _, err := ws.PostMessage(ctx, sc, staff, "Welcome to your project space!\nYou will find the board, your requests and invoices here."); err != nil {
				return err
			}
			_, err := ws.PostMessage(ctx, w.ClientScope(), client, "Thank you! The new homepage drafts look lovely.")
			return err
		},
		func() error {
			t, err := ws.CreateTicket(ctx, w.ClientScope(), client, workspace.TicketInput{Subject: "Opening hours wrong on the contact page",
				Body: "We now open at 7:00 on Saturdays.\nCould you update it?", Priority: workspace.PriorityHigh})
			if err != nil {
				return err
			}
			if _, err := ws.AddComment(ctx, sc, staff, t.ID, "Thanks, we will fix it today.", false); err != nil {
				return err
			}
			if _, err := ws.AddComment(ctx, sc, staff, t.ID, "The hours come from the old CMS block: remove it.", true); err != nil {
				return err
			}
			t2, err := ws.CreateTicket(ctx, w.ClientScope(), client, workspace.TicketInput{Subject: "Add a gluten-free label to the menu", Body: "For the rye and the almond cake."})
			if err != nil {
				return err
			}
			resolved := workspace.TicketResolved
			_, err = ws.UpdateTicket(ctx, sc, staff, t2.ID, workspace.TicketPatch{Status: &resolved})
			return err
		},
		func() error {
			for _, in := range []workspace.InvoiceInput{
				{Number: "NW-2026-031", IssuedOn: "2026-10-01", DueOn: "2026-10-31", Currency: "EUR", Status: workspace.InvoicePaid,
					Lines: []workspace.LineInput{{Description: "Logo refresh", Quantity: 1, UnitPriceCents: 120000}}},
				{Number: "NW-2026-044", IssuedOn: "2026-11-01", DueOn: "2026-11-15", Currency: "EUR", Status: workspace.InvoiceSent,
					Lines: []workspace.LineInput{{Description: "Homepage design", Quantity: 12.5, UnitPriceCents: 9500}, {Description: "Photo retouching", Quantity: 3, UnitPriceCents: 6000}}},
				{Number: "NW-2026-052", IssuedOn: "2026-11-20", DueOn: "2026-12-20", Currency: "EUR", Status: workspace.InvoiceDraft,
					Lines: []workspace.LineInput{{Description: "Online ordering form", Quantity: 8, UnitPriceCents: 9500}}},
			} {
				if _, err := ws.CreateInvoice(ctx, sc, staff, in); err != nil {
					return err
				}
			}
			return nil
		},
		func() error {
			if _, err := ws.CreateNote(ctx, sc, staff, "Kick-off: the shop wants the new site live before the Christmas season.", false); err != nil {
				return err
			}
			_, err := ws.CreateNote(ctx, sc, staff, "Budget is tight: propose the photo shoot as an option.", true)
			return err
		},
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return nil, fmt.Errorf("demo data: %w", err)
		}
	}
	return w, nil
}

func ptr[T any](v T) *T { return &v }
