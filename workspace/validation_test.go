package workspace_test

import (
	"math"
	"strings"
	"testing"

	"workrate/field"
	"workrate/fixture"
	"workrate/workspace"
)

func TestValidation(t *testing.T) {
	each(t, func(t *testing.T, fx *fixture.Fixture, s *workspace.Store) {
		w := fx.A1
		sc, a := w.StaffScope(), w.StaffActor()
		inv := func(mod func(*workspace.InvoiceInput)) func() error {
			return func() error {
				in := invoiceInput("V-1")
				mod(&in)
				_, err := s.CreateInvoice(ctx, sc, a, in)
				return err
			}
		}
		line := func(l workspace.LineInput) func(*workspace.InvoiceInput) {
			return func(in *workspace.InvoiceInput) { in.Lines = append(in.Lines, l) }
		}
		task := func(in workspace.TaskInput) func() error {
			return func() error { _, err := s.CreateTask(ctx, sc, a, in); return err }
		}
		ticket := func(in workspace.TicketInput) func() error {
			return func() error { _, err := s.CreateTicket(ctx, sc, a, in); return err }
		}
		ws := func(in workspace.WorkspaceInput) func() error {
			return func() error { _, err := s.CreateWorkspace(ctx, w.AgencyID, a, in); return err }
		}
		for _, tc := range []struct {
			name, field, code string
			call              func() error
		}{
			{"task title empty", "title", field.Required, task(workspace.TaskInput{Title: " \t\n"})},
			{"task title 201", "title", field.TooLong, task(workspace.TaskInput{Title: strings.Repeat("a", 201)})},
			{"task description 20001", "description", field.TooLong, task(workspace.TaskInput{Title: "t", Description: strings.Repeat("a", 20_001)})},
			{"task status", "status", field.InvalidStatus, task(workspace.TaskInput{Title: "t", Status: "blocked"})},
			{"task due 31 Feb", "due_on", field.InvalidDate, task(workspace.TaskInput{Title: "t", DueOn: "2026-02-31"})},
			{"task due format", "due_on", field.InvalidDate, task(workspace.TaskInput{Title: "t", DueOn: "2026-2-3"})},
			{"ticket subject empty", "subject", field.Required, ticket(workspace.TicketInput{})},
			{"ticket subject 201", "subject", field.TooLong, ticket(workspace.TicketInput{Subject: strings.Repeat("ü", 201)})},
			{"ticket body 20001", "body", field.TooLong, ticket(workspace.TicketInput{Subject: "s", Body: strings.Repeat("a", 20_001)})},
			{"ticket priority", "priority", field.InvalidPriority, ticket(workspace.TicketInput{Subject: "s", Priority: "High"})},
			{"workspace name empty", "name", field.Required, ws(workspace.WorkspaceInput{})},
			{"workspace name 121", "name", field.TooLong, ws(workspace.WorkspaceInput{Name: strings.Repeat("n", 121)})},
			{"workspace email", "contact_email", field.InvalidEmail, ws(workspace.WorkspaceInput{Name: "n", ContactEmail: "not an email"})},
			{"invoice number empty", "number", field.Required, inv(func(in *workspace.InvoiceInput) { in.Number = "" })},
			{"invoice number 41", "number", field.TooLong, inv(func(in *workspace.InvoiceInput) { in.Number = strings.Repeat("9", 41) })},
			{"invoice issued empty", "issued_on", field.Required, inv(func(in *workspace.InvoiceInput) { in.IssuedOn = "" })},
			{"invoice issued bad", "issued_on", field.InvalidDate, inv(func(in *workspace.InvoiceInput) { in.IssuedOn = "2026-13-01" })},
			{"invoice due before issue", "due_on", field.DueBeforeIssue, inv(func(in *workspace.InvoiceInput) { in.DueOn = "2026-02-28" })},
			{"invoice currency empty", "currency", field.Required, inv(func(in *workspace.InvoiceInput) { in.Currency = "" })},
			{"invoice currency shape", "currency", field.InvalidCurrency, inv(func(in *workspace.InvoiceInput) { in.Currency = "EURO" })},
			{"invoice currency unknown", "currency", field.InvalidCurrency, inv(func(in *workspace.InvoiceInput) { in.Currency = "ABC" })},
			{"invoice status", "status", field.InvalidStatus, inv(func(in *workspace.InvoiceInput) { in.Status = "overdue" })},
			{"invoice no lines", "lines", field.NoLines, inv(func(in *workspace.InvoiceInput) { in.Lines = nil })},
			{"line description", "lines[1].description", field.Required, inv(line(workspace.LineInput{Quantity: 1}))},
			{"line quantity zero", "lines[1].quantity", field.InvalidQuantity, inv(line(workspace.LineInput{Description: "d"}))},
			{"line quantity negative", "lines[1].quantity", field.InvalidQuantity, inv(line(workspace.LineInput{Description: "d", Quantity: -1}))},
			{"line quantity NaN", "lines[1].quantity", field.InvalidQuantity, inv(line(workspace.LineInput{Description: "d", Quantity: math.NaN()}))},
			{"line quantity huge", "lines[1].quantity", field.InvalidQuantity, inv(line(workspace.LineInput{Description: "d", Quantity: 1e7}))},
			{"line quantity 4 decimals", "lines[1].quantity", field.TooManyDecimals, inv(line(workspace.LineInput{Description: "d", Quantity: 1.0005}))},
			{"line quantity below a milli", "lines[1].quantity", field.TooManyDecimals, inv(line(workspace.LineInput{Description: "d", Quantity: 0.0004}))},
			{"line price negative", "lines[1].unit_price_cents", field.Negative, inv(line(workspace.LineInput{Description: "d", Quantity: 1, UnitPriceCents: -1}))},
			{"line price huge", "lines[1].unit_price_cents", field.TooLarge, inv(line(workspace.LineInput{Description: "d", Quantity: 1, UnitPriceCents: 1e12}))},
			{"message empty", "body", field.Required, func() error { _, err := s.PostMessage(ctx, sc, a, ""); return err }},
			{"note empty", "body", field.Required, func() error { _, err := s.CreateNote(ctx, sc, a, "\x00", true); return err }},
			{"cursor junk", "cursor", field.InvalidCursor, func() error {
				_, err := s.Tickets(ctx, sc, "", workspace.ListOptions{Cursor: "%%%"})
				return err
			}},
			{"cursor not an id", "cursor", field.InvalidCursor, func() error {
				_, err := s.Messages(ctx, sc, workspace.ListOptions{Cursor: "bm90LWFuLWlk"})
				return err
			}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				wantField(t, tc.call(), tc.field, tc.code)
			})
		}
		// Nothing of the refused inputs was written.
		for table, want := range map[string]int{"tasks": 1, "tickets": 1, "invoices": 3, "messages": 2, "notes": 2} {
			if n := count(t, s, table, w.ID); n != want {
				t.Errorf("%s: %d rows, want the fixture's %d", table, n, want)
			}
		}
		if n, _ := s.CountWorkspaces(ctx, w.AgencyID); n != 2 {
			t.Errorf("%d workspaces, want 2", n)
		}
		// Accepted edge cases.
		got, err := s.CreateWorkspace(ctx, w.AgencyID, a, workspace.WorkspaceInput{Name: strings.Repeat("ñ", 120), ContactEmail: " Billing@Client.Example "})
		if err != nil || got.ContactEmail != "billing@client.example" {
			t.Errorf("workspace %+v, %v", got, err)
		}
		if _, err := s.CreateTask(ctx, sc, a, workspace.TaskInput{Title: strings.Repeat("ü", 200), DueOn: "2028-02-29"}); err != nil {
			t.Errorf("a 200-character title due on a leap day: %v", err)
		}
	})
}

func TestTools(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string
	}{
		{"", ""},
		{"invoices,tickets", "tickets,invoices"},
		{" Tasks , tasks,bogus,,dashboard", "dashboard,tasks"},
		{"dashboard,tickets,messages,tasks,invoices", "dashboard,tickets,messages,tasks,invoices"},
	} {
		if got := workspace.FormatTools(workspace.ParseTools(tc.in)); got != tc.want {
			t.Errorf("ParseTools(%q) formats as %q, want %q", tc.in, got, tc.want)
		}
	}
	if got := workspace.FormatTools([]workspace.Tool{"x", workspace.ToolInvoices, workspace.ToolDashboard, workspace.ToolInvoices}); got != "dashboard,invoices" {
		t.Errorf("FormatTools = %q", got)
	}
	if !workspace.ValidTool("tickets") || workspace.ValidTool("notes") || workspace.ValidTool("") {
		t.Error("ValidTool")
	}
	if len(workspace.AllTools()) != 5 {
		t.Error("AllTools")
	}
	if got, ok := workspace.ParseToolNames([]string{"invoices", " tickets ", "invoices"}); !ok || strings.Join(workspace.ToolNames(got), ",") != "tickets,invoices" {
		t.Errorf("ParseToolNames = %v, %v", got, ok)
	}
	if got, ok := workspace.ParseToolNames([]string{"tickets", "Tasks"}); ok {
		t.Errorf("ParseToolNames accepted a name that is not a tool: %v", got)
	}
	if got, ok := workspace.ParseToolNames(nil); !ok || len(got) != 0 {
		t.Errorf("ParseToolNames(nil) = %v, %v", got, ok)
	}
}
