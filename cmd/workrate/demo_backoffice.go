package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"workrate/auth"
	"workrate/store"
	"workrate/tenant"
	"workrate/workspace"
)

// demoLogin is one staff sign-in printed by `workrate demo`.
type demoLogin struct {
	Role     string `json:"role"`
	Name     string `json:"name"`
	Email    string `json:"email"`
	Password string `json:"password"`
}

// demoStaff are the demo agency's team besides the owner (created with it).
func demoStaff() []demoLogin {
	return []demoLogin{
		{auth.RoleAdmin, "Alex Admin", "admin@northwind.example", "demo-admin-pass-2026"},
		{auth.RoleMember, "Milo Member", "member@northwind.example", "demo-member-pass-2026"},
	}
}

// fillDemoBackOffice gives the demo agency a team, service rates and client
// workspaces full of work. It only adds what is missing, so running it again
// changes nothing.
func fillDemoBackOffice(ctx context.Context, db *bun.DB, a *tenant.Agency) ([]demoLogin, error) {
	accounts := auth.NewStore(db)
	logins := []demoLogin{{auth.RoleOwner, "Nora Winters", demoOwnerEmail, demoOwnerPassword}}
	staffIDs := map[string]*auth.Staff{}
	owner, err := accounts.StaffByEmail(ctx, a.ID, demoOwnerEmail)
	if err != nil {
		return nil, fmt.Errorf("demo owner: %w", err)
	}
	staffIDs[auth.RoleOwner] = owner
	for _, l := range demoStaff() {
		st, err := accounts.StaffByEmail(ctx, a.ID, l.Email)
		if errors.Is(err, store.ErrNotFound) {
			hash, herr := auth.HashPassword(l.Password, auth.DefaultParams())
			if herr != nil {
				return nil, herr
			}
			st, err = accounts.CreateStaff(ctx, a.ID, l.Email, l.Name, l.Role, hash)
		}
		if err != nil {
			return nil, fmt.Errorf("demo staff %s: %w", l.Email, err)
		}
		staffIDs[l.Role] = st
		logins = append(logins, l)
	}

	tenants := tenant.NewStore(db)
	if rs, err := tenants.Rates(ctx, a.ID); err != nil {
		return nil, err
	} else if len(rs) == 0 {
		_, err := tenants.ReplaceRates(ctx, a.ID, []tenant.RateInput{
			{Service: "Brand strategy", HourlyRateCents: 14000, Currency: "EUR"},
			{Service: "UX & UI design", HourlyRateCents: 11000, Currency: "EUR"},
			{Service: "Web development", HourlyRateCents: 9500, Currency: "EUR"},
			{Service: "Copywriting", HourlyRateCents: 8000, Currency: "EUR"},
			{Service: "Project management", HourlyRateCents: 7500, Currency: "EUR"},
		})
		if err != nil {
			return nil, fmt.Errorf("demo rates: %w", err)
		}
	}

	work := workspace.NewStore(db)
	n, err := work.CountWorkspaces(ctx, a.ID)
	if err != nil || n > 0 {
		return logins, err
	}
	nora := workspace.Actor{Kind: workspace.ActorStaff, ID: owner.ID, Name: owner.Name}
	alex := workspace.Actor{Kind: workspace.ActorStaff, ID: staffIDs[auth.RoleAdmin].ID, Name: staffIDs[auth.RoleAdmin].Name}
	milo := workspace.Actor{Kind: workspace.ActorStaff, ID: staffIDs[auth.RoleMember].ID, Name: staffIDs[auth.RoleMember].Name}
	for i, c := range demoClients() {
		ws, err := work.CreateWorkspace(ctx, a.ID, nora, workspace.WorkspaceInput{Name: c.name, ContactEmail: c.contact})
		if err != nil {
			return nil, fmt.Errorf("demo workspace %s: %w", c.name, err)
		}
		client := workspace.Actor{Kind: workspace.ActorClient, ID: ws.ID, Name: c.person}
		if err := fillDemoWorkspace(ctx, work, ws.StaffScope(), i, nora, alex, milo, client); err != nil {
			return nil, fmt.Errorf("demo workspace %s: %w", c.name, err)
		}
	}
	return logins, nil
}

type demoClient struct{ name, contact, person string }

func demoClients() []demoClient {
	return []demoClient{
		{"Contoso Coffee Roasters", "hello@contoso-coffee.example", "Carla Moreno"},
		{"Fabrikam Outdoor", "marketing@fabrikam.example", "Felix Brandt"},
		{"Tailspin Travel", "ops@tailspin.example", "Tara Lindqvist"},
		{"Wide World Books", "office@wideworld.example", "Walter Okafor"},
	}
}

// fillDemoWorkspace adds a realistic set of rows to one workspace; n varies
// numbers between workspaces.
func fillDemoWorkspace(ctx context.Context, w *workspace.Store, sc workspace.Scope, n int, nora, alex, milo, client workspace.Actor) error {
	d := demoFill{w: w, sc: sc, nora: nora, alex: alex, milo: milo, client: client}
	for _, step := range []func(context.Context) error{d.tasks, d.messages, d.tickets, d.notes} {
		if err := step(ctx); err != nil {
			return err
		}
	}
	return d.invoices(ctx, fmt.Sprintf("NW-%02d", n+1))
}

// demoFill fills one demo workspace, one kind of row per method.
type demoFill struct {
	w                        *workspace.Store
	sc                       workspace.Scope
	nora, alex, milo, client workspace.Actor
}

// day is today plus d days, as YYYY-MM-DD.
func day(d int) string { return time.Now().UTC().AddDate(0, 0, d).Format(time.DateOnly) }

// tasks adds the board's tasks.
func (f demoFill) tasks(ctx context.Context) error {
	w, sc, nora, alex, milo := f.w, f.sc, f.nora, f.alex, f.milo
	tasks := []workspace.TaskInput{
		{Title: "Kick-off workshop", Description: "Goals, audiences and success measures with the client team.", Status: workspace.TaskDone, DueOn: day(-20), AssigneeID: nora.ID},
		{Title: "Brand moodboard", Description: "Three directions for colour, type and imagery.", Status: workspace.TaskDone, DueOn: day(-12), AssigneeID: alex.ID},
		{Title: "Homepage wireframes", Description: "Desktop and mobile; include the newsletter sign-up.", Status: workspace.TaskReview, DueOn: day(2), AssigneeID: alex.ID},
		{Title: "Product page copy", Description: "Tone: warm, concrete, no jargon.", Status: workspace.TaskInProgress, DueOn: day(5), AssigneeID: milo.ID},
		{Title: "Set up staging site", Status: workspace.TaskInProgress, DueOn: day(7), AssigneeID: milo.ID},
		{Title: "Photography shot list", Description: "Agree locations and props with the client.", Status: workspace.TaskTodo, DueOn: day(10)},
		{Title: "Analytics and cookie banner", Status: workspace.TaskTodo, DueOn: day(14), AssigneeID: milo.ID},
		{Title: "Launch checklist", Status: workspace.TaskTodo},
	}
	for _, t := range tasks {
		if _, err := w.CreateTask(ctx, sc, nora, t); err != nil {
			return err
		}
	}
	return nil
}

// messages adds the message thread.
func (f demoFill) messages(ctx context.Context) error {
	w, sc, nora, alex, milo, client := f.w, f.sc, f.nora, f.alex, f.milo, f.client
	msgs := []struct {
		a    workspace.Actor
		body string
	}{
		{nora, "Welcome aboard! This thread is the quickest way to reach the whole team. We'll post progress here every week."},
		{client, "Thanks Nora. Could we see the wireframes before Friday's board meeting?"},
		{alex, "Yes — they are in review now. You'll have a link by Thursday noon."},
		{client, "Perfect, thank you!"},
		{milo, "Staging is up. Login details follow by email."},
	}
	for _, m := range msgs {
		if _, err := w.PostMessage(ctx, sc, m.a, m.body); err != nil {
			return err
		}
	}
	return nil
}

// tickets adds three tickets: one resolved after a conversation, one in
// progress, one opened by the agency.
func (f demoFill) tickets(ctx context.Context) error {
	w, sc, nora, alex, milo, client := f.w, f.sc, f.nora, f.alex, f.milo, f.client
	t1, err := w.CreateTicket(ctx, sc, client, workspace.TicketInput{Subject: "Contact form does not send", Body: "When I submit the form on the staging site nothing happens.", Priority: workspace.PriorityHigh})
	if err != nil {
		return err
	}
	for _, c := range []struct {
		a        workspace.Actor
		body     string
		internal bool
	}{
		{milo, "Thanks for reporting — we are looking into it today.", false},
		{milo, "SMTP credentials on staging expired; rotating them. Not the client's fault.", true},
		{milo, "Fixed: the form sends again. Could you try once more?", false},
	} {
		if _, err := w.AddComment(ctx, sc, c.a, t1.ID, c.body, c.internal); err != nil {
			return err
		}
	}
	if _, err := w.UpdateTicket(ctx, sc, milo, t1.ID, workspace.TicketPatch{Status: ptr(workspace.TicketResolved)}); err != nil {
		return err
	}
	t2, err := w.CreateTicket(ctx, sc, client, workspace.TicketInput{Subject: "Add our new opening hours", Body: "Mon–Sat 8:00–18:00 from next month.", Priority: workspace.PriorityNormal})
	if err != nil {
		return err
	}
	if _, err := w.AddComment(ctx, sc, alex, t2.ID, "Quick one — bundle with the footer update (15 min).", true); err != nil {
		return err
	}
	if _, err := w.UpdateTicket(ctx, sc, alex, t2.ID, workspace.TicketPatch{Status: ptr(workspace.TicketInProgress)}); err != nil {
		return err
	}
	if _, err := w.CreateTicket(ctx, sc, nora, workspace.TicketInput{Subject: "Approve final logo files", Body: "Please confirm the files in the shared folder.", Priority: workspace.PriorityLow}); err != nil {
		return err
	}
	return nil
}

// invoices adds invoices numbered prefix-001… in every status.
func (f demoFill) invoices(ctx context.Context, prefix string) error {
	w, sc, nora := f.w, f.sc, f.nora
	invoices := []struct {
		num, status, issued, due, paid string
		lines                          []workspace.LineInput
	}{
		{"-001", workspace.InvoicePaid, day(-75), day(-45), day(-50), []workspace.LineInput{{Description: "Discovery and kick-off workshop", Quantity: 6, UnitPriceCents: 14000}}},
		{"-002", workspace.InvoiceSent, day(-40), day(-10), "", []workspace.LineInput{{Description: "Brand moodboards", Quantity: 12.5, UnitPriceCents: 11000}, {Description: "Stock photography licence", Quantity: 1, UnitPriceCents: 24900}}},
		{"-003", workspace.InvoiceSent, day(-5), day(25), "", []workspace.LineInput{{Description: "Wireframes", Quantity: 16, UnitPriceCents: 11000}}},
		{"-004", workspace.InvoiceVoid, day(-30), day(0), "", []workspace.LineInput{{Description: "Duplicate of NW-002", Quantity: 1, UnitPriceCents: 100}}},
		{"-005", workspace.InvoiceDraft, day(0), day(30), "", []workspace.LineInput{{Description: "Web development (sprint 1)", Quantity: 32, UnitPriceCents: 9500}, {Description: "Project management", Quantity: 6, UnitPriceCents: 7500}}},
	}
	for _, inv := range invoices {
		created, err := w.CreateInvoice(ctx, sc, nora, workspace.InvoiceInput{Number: prefix + inv.num, IssuedOn: inv.issued, DueOn: inv.due,
			Currency: "EUR", Status: workspace.InvoiceDraft, Lines: inv.lines})
		if err != nil {
			return err
		}
		if inv.status != workspace.InvoiceDraft {
			p := workspace.InvoicePatch{Status: ptr(inv.status)}
			if inv.paid != "" {
				p.PaidOn = ptr(inv.paid)
			}
			if _, err := w.UpdateInvoice(ctx, sc, nora, created.ID, p); err != nil {
				return err
			}
		}
	}
	return nil
}

// notes adds CRM notes, most of them for the agency only.
func (f demoFill) notes(ctx context.Context) error {
	for _, note := range []struct {
		body       string
		agencyOnly bool
	}{
		{"Decision maker is the founder; marketing lead prepares everything. Budget approved for phase 1 only.", true},
		{"Prefers calls on Tuesday mornings. Sensitive about timeline slips — warn early.", true},
		{"Project plan: discovery → brand → website. Launch planned for the end of next quarter.", false},
	} {
		if _, err := f.w.CreateNote(ctx, f.sc, f.nora, note.body, note.agencyOnly); err != nil {
			return err
		}
	}
	return nil
}

func ptr(s string) *string { return &s }
