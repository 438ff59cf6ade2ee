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
		c := inputs{s: s, sc: sc, a: a, agencyID: w.AgencyID}
		for _, tc := range append(rowCases(c), invoiceCases(c)...) {
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

// validationCase is one refused input: the call, and the field and code
// its error must name.
type validationCase struct {
	name, field, code string
	call              func() error
}

// inputs makes calls that create rows of one workspace as a staff member.
type inputs struct {
	s        *workspace.Store
	sc       workspace.Scope
	a        workspace.Actor
	agencyID string
}

// invoice creates invoice V-1 changed by mod.
func (c inputs) invoice(mod func(*workspace.InvoiceInput)) func() error {
	return func() error {
		in := invoiceInput("V-1")
		mod(&in)
		_, err := c.s.CreateInvoice(ctx, c.sc, c.a, in)
		return err
	}
}

// addLine adds l to an invoice.
func addLine(l workspace.LineInput) func(*workspace.InvoiceInput) {
	return func(in *workspace.InvoiceInput) { in.Lines = append(in.Lines, l) }
}

// task creates a task.
func (c inputs) task(in workspace.TaskInput) func() error {
	return func() error { _, err := c.s.CreateTask(ctx, c.sc, c.a, in); return err }
}

// ticket creates a ticket.
func (c inputs) ticket(in workspace.TicketInput) func() error {
	return func() error { _, err := c.s.CreateTicket(ctx, c.sc, c.a, in); return err }
}

// workspace creates a workspace in the agency.
func (c inputs) workspace(in workspace.WorkspaceInput) func() error {
	return func() error { _, err := c.s.CreateWorkspace(ctx, c.agencyID, c.a, in); return err }
}

// rowCases are refused tasks, tickets, workspaces, messages, notes and cursors.
func rowCases(c inputs) []validationCase {
	return []validationCase{
		{"task title empty", "title", field.Required, c.task(workspace.TaskInput{Title: " \t\n"})},
		{"task title 201", "title", field.TooLong, c.task(workspace.TaskInput{Title: strings.Repeat("a", 201)})},
		{"task description 20001", "description", field.TooLong, c.task(workspace.TaskInput{Title: "t", Description: strings.Repeat("a", 20_001)})},
		{"task status", "status", field.InvalidStatus, c.task(workspace.TaskInput{Title: "t", Status: "blocked"})},
		{"task due 31 Feb", "due_on", field.InvalidDate, c.task(workspace.TaskInput{Title: "t", DueOn: "2026-02-31"})},
		{"task due format", "due_on", field.InvalidDate, c.task(workspace.TaskInput{Title: "t", DueOn: "2026-2-3"})},
		{"ticket subject empty", "subject", field.Required, c.ticket(workspace.TicketInput{})},
		{"ticket subject 201", "subject", field.TooLong, c.ticket(workspace.TicketInput{Subject: strings.Repeat("ü", 201)})},
		{"ticket body 20001", "body", field.TooLong, c.ticket(workspace.TicketInput{Subject: "s", Body: strings.Repeat("a", 20_001)})},
		{"ticket priority", "priority", field.InvalidPriority, c.ticket(workspace.TicketInput{Subject: "s", Priority: "High"})},
		{"workspace name empty", "name", field.Required, c.workspace(workspace.WorkspaceInput{})},
		{"workspace name 121", "name", field.TooLong, c.workspace(workspace.WorkspaceInput{Name: strings.Repeat("n", 121)})},
		{"workspace email", "contact_email", field.InvalidEmail, c.workspace(workspace.WorkspaceInput{Name: "n", ContactEmail: "not an email"})},
		{"message empty", "body", field.Required, func() error { _, err := c.s.PostMessage(ctx, c.sc, c.a, ""); return err }},
		{"note empty", "body", field.Required, func() error { _, err := c.s.CreateNote(ctx, c.sc, c.a, "\x00", true); return err }},
		{"cursor junk", "cursor", field.InvalidCursor, func() error {
			_, err := c.s.Tickets(ctx, c.sc, "", workspace.ListOptions{Cursor: "%%%"})
			return err
		}},
		{"cursor not an id", "cursor", field.InvalidCursor, func() error {
			_, err := c.s.Messages(ctx, c.sc, workspace.ListOptions{Cursor: "bm90LWFuLWlk"})
			return err
		}},
	}
}

// invoiceCases are refused invoices and invoice lines.
func invoiceCases(c inputs) []validationCase {
	return []validationCase{
		{"invoice number empty", "number", field.Required, c.invoice(func(in *workspace.InvoiceInput) { in.Number = "" })},
		{"invoice number 41", "number", field.TooLong, c.invoice(func(in *workspace.InvoiceInput) { in.Number = strings.Repeat("9", 41) })},
		{"invoice issued empty", "issued_on", field.Required, c.invoice(func(in *workspace.InvoiceInput) { in.IssuedOn = "" })},
		{"invoice issued bad", "issued_on", field.InvalidDate, c.invoice(func(in *workspace.InvoiceInput) { in.IssuedOn = "2026-13-01" })},
		{"invoice due before issue", "due_on", field.DueBeforeIssue, c.invoice(func(in *workspace.InvoiceInput) { in.DueOn = "2026-02-28" })},
		{"invoice currency empty", "currency", field.Required, c.invoice(func(in *workspace.InvoiceInput) { in.Currency = "" })},
		{"invoice currency shape", "currency", field.InvalidCurrency, c.invoice(func(in *workspace.InvoiceInput) { in.Currency = "EURO" })},
		{"invoice currency unknown", "currency", field.InvalidCurrency, c.invoice(func(in *workspace.InvoiceInput) { in.Currency = "ABC" })},
		{"invoice status", "status", field.InvalidStatus, c.invoice(func(in *workspace.InvoiceInput) { in.Status = "overdue" })},
		{"invoice no lines", "lines", field.NoLines, c.invoice(func(in *workspace.InvoiceInput) { in.Lines = nil })},
		{"line description", "lines[1].description", field.Required, c.invoice(addLine(workspace.LineInput{Quantity: 1}))},
		{"line quantity zero", "lines[1].quantity", field.InvalidQuantity, c.invoice(addLine(workspace.LineInput{Description: "d"}))},
		{"line quantity negative", "lines[1].quantity", field.InvalidQuantity, c.invoice(addLine(workspace.LineInput{Description: "d", Quantity: -1}))},
		{"line quantity NaN", "lines[1].quantity", field.InvalidQuantity, c.invoice(addLine(workspace.LineInput{Description: "d", Quantity: math.NaN()}))},
		{"line quantity huge", "lines[1].quantity", field.InvalidQuantity, c.invoice(addLine(workspace.LineInput{Description: "d", Quantity: 1e7}))},
		{"line quantity 4 decimals", "lines[1].quantity", field.TooManyDecimals, c.invoice(addLine(workspace.LineInput{Description: "d", Quantity: 1.0005}))},
		{"line quantity below a milli", "lines[1].quantity", field.TooManyDecimals, c.invoice(addLine(workspace.LineInput{Description: "d", Quantity: 0.0004}))},
		{"line price negative", "lines[1].unit_price_cents", field.Negative, c.invoice(addLine(workspace.LineInput{Description: "d", Quantity: 1, UnitPriceCents: -1}))},
		{"line price huge", "lines[1].unit_price_cents", field.TooLarge, c.invoice(addLine(workspace.LineInput{Description: "d", Quantity: 1, UnitPriceCents: 1e12}))},
	}
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
