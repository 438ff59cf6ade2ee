package portal_test

import (
	"strings"
	"testing"

	"workrate/migrations/testdb"
	"workrate/workspace"
)

// The dashboard's kept content never outlives a change: a note made
// agency-only, a ticket opened, invoices turned off all show on the very next
// request, and another workspace never gets this one's content.
func TestDashboardNeverShowsStaleContent(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			s := newSite(t, db)
			s.grant(t, s.A, s.A1, "one@example.com", "temporary-pass-31", "dashboard", "tickets", "invoices")
			s.grant(t, s.A, s.A2, "two@example.com", "temporary-pass-32", "dashboard", "tickets", "invoices")
			one := s.signIn(t, acme, "one@example.com", "temporary-pass-31", "own-password-4241")
			two := s.signIn(t, acme, "two@example.com", "temporary-pass-32", "own-password-4242")
			ws := workspace.NewStore(db.DB)
			sc := workspace.StaffScope(s.A.ID, s.A1)
			staff := workspace.Actor{Kind: "staff", ID: "s1", Name: "Nora Winters"}
			dashboard := func() string { return one.Get(acme, "/").Body }

			note, err := ws.CreateNote(ctx, sc, staff, "MARK-shared-note", false)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := ws.CreateInvoice(ctx, sc, staff, workspace.InvoiceInput{Number: "MARK-INV-1", IssuedOn: "2026-11-01", DueOn: "2099-12-31",
				Currency: "EUR", Status: workspace.InvoiceSent, Lines: []workspace.LineInput{{Description: "Design", Quantity: 1, UnitPriceCents: 9900}}}); err != nil {
				t.Fatal(err)
			}
			for range 2 { // the second answer is the kept one
				if d := dashboard(); !strings.Contains(d, "MARK-shared-note") || !strings.Contains(d, "MARK-INV-1") {
					t.Fatalf("dashboard lacks the shared note or the invoice: %s", text(d))
				}
			}
			if d := two.Get(acme, "/").Body; strings.Contains(d, "MARK-") {
				t.Fatalf("another workspace's dashboard shows this one's content: %s", text(d))
			}

			if _, err := ws.UpdateNote(ctx, sc, staff, note.ID, "MARK-shared-note", true); err != nil {
				t.Fatal(err)
			}
			if d := dashboard(); strings.Contains(d, "MARK-shared-note") {
				t.Fatalf("a note made agency-only still shows: %s", text(d))
			}

			if _, err := ws.CreateTicket(ctx, sc, staff, workspace.TicketInput{Subject: "MARK-new-ticket", Body: "b"}); err != nil {
				t.Fatal(err)
			}
			if d := dashboard(); !strings.Contains(d, "MARK-new-ticket") {
				t.Fatalf("a new ticket does not show: %s", text(d))
			}

			s.grant(t, s.A, s.A1, "one@example.com", "", "dashboard", "tickets") // invoices off
			if d := dashboard(); !strings.Contains(d, "MARK-new-ticket") || strings.Contains(d, "MARK-INV-1") || strings.Contains(d, "99.00") {
				t.Fatalf("with invoices turned off, want the dashboard without them: %s", text(d))
			}
		})
	}
}
