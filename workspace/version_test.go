package workspace_test

import (
	"testing"

	"workrate/fixture"
	"workrate/workspace"
)

// Every write to a workspace's content moves its data version on (what the
// portal caches under a version must never outlive a change), and only its
// own workspace's.
func TestEveryContentWriteMovesTheDataVersion(t *testing.T) {
	each(t, func(t *testing.T, fx *fixture.Fixture, s *workspace.Store) {
		w := fx.A1
		sc, a := w.StaffScope(), w.StaffActor()
		version := func(id string) int64 {
			t.Helper()
			ws, err := s.Workspace(ctx, w.AgencyID, id)
			if err != nil {
				t.Fatal(err)
			}
			return ws.DataVersion
		}
		writes := contentWrites(s, sc, a)
		other := version(fx.A2.ID)
		for _, wr := range writes {
			before := version(w.ID)
			if err := wr.write(); err != nil {
				t.Fatalf("%s: %v", wr.name, err)
			}
			if after := version(w.ID); after <= before {
				t.Errorf("%s: data version %d → %d, want it moved on", wr.name, before, after)
			}
		}
		if version(fx.A2.ID) != other {
			t.Error("writes in A1 moved A2's data version")
		}
	})
}

// contentWrite is one write to a workspace's content.
type contentWrite struct {
	name  string
	write func() error
}

// contentWrites are one write of each kind, in an order where each finds
// what the ones before made.
func contentWrites(s *workspace.Store, sc workspace.Scope, a workspace.Actor) []contentWrite {
	var taskID, ticketID, noteID, invoiceID string
	return []contentWrite{
		{"create task", func() error {
			tk, err := s.CreateTask(ctx, sc, a, workspace.TaskInput{Title: "T"})
			if err == nil {
				taskID = tk.ID
			}
			return err
		}},
		{"move task", func() error {
			_, err := s.UpdateTask(ctx, sc, a, taskID, workspace.TaskPatch{Status: ptr(workspace.TaskReview)})
			return err
		}},
		{"delete task", func() error { return s.DeleteTask(ctx, sc, a, taskID) }},
		{"create ticket", func() error {
			tk, err := s.CreateTicket(ctx, sc, a, workspace.TicketInput{Subject: "S", Body: "B"})
			if err == nil {
				ticketID = tk.ID
			}
			return err
		}},
		{"change ticket status", func() error {
			_, err := s.UpdateTicket(ctx, sc, a, ticketID, workspace.TicketPatch{Status: ptr(workspace.TicketWaiting)})
			return err
		}},
		{"internal comment", func() error {
			_, err := s.AddComment(ctx, sc, a, ticketID, "internal", true)
			return err
		}},
		{"message", func() error {
			_, err := s.PostMessage(ctx, sc, a, "hello")
			return err
		}},
		{"shared note", func() error {
			n, err := s.CreateNote(ctx, sc, a, "note", false)
			if err == nil {
				noteID = n.ID
			}
			return err
		}},
		{"note made agency-only", func() error {
			_, err := s.UpdateNote(ctx, sc, a, noteID, "note", true)
			return err
		}},
		{"delete note", func() error { return s.DeleteNote(ctx, sc, a, noteID) }},
		{"create invoice", func() error {
			inv, err := s.CreateInvoice(ctx, sc, a, workspace.InvoiceInput{Number: "V-1", IssuedOn: "2026-11-01", DueOn: "2026-12-01",
				Currency: "EUR", Status: workspace.InvoiceSent, Lines: []workspace.LineInput{{Description: "x", Quantity: 1, UnitPriceCents: 100}}})
			if err == nil {
				invoiceID = inv.ID
			}
			return err
		}},
		{"invoice paid", func() error {
			_, err := s.UpdateInvoice(ctx, sc, a, invoiceID, workspace.InvoicePatch{Status: ptr(workspace.InvoicePaid), PaidOn: ptr("2026-11-20")})
			return err
		}},
	}
}
