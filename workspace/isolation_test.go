package workspace_test

import (
	"errors"
	"reflect"
	"testing"

	"workrate/fixture"
	"workrate/store"
	"workrate/workspace"
)

// byID is a store method that takes the id of a row: a get, update or delete.
type byID struct {
	name string
	id   func(w *fixture.Workspace) string
	call func(s *workspace.Store, sc workspace.Scope, a workspace.Actor, id string) error
	// fresh makes a new row in w for the destructive methods, so that the
	// success check on A1 does not spend the fixture's row.
	fresh func(fx *fixture.Fixture, w *fixture.Workspace) string
}

func byIDMethods() []byID {
	return []byID{
		{name: "Task", id: func(w *fixture.Workspace) string { return w.TaskID },
			call: func(s *workspace.Store, sc workspace.Scope, _ workspace.Actor, id string) error {
				_, err := s.Task(ctx, sc, id)
				return err
			}},
		{name: "UpdateTask", id: func(w *fixture.Workspace) string { return w.TaskID },
			call: func(s *workspace.Store, sc workspace.Scope, a workspace.Actor, id string) error {
				_, err := s.UpdateTask(ctx, sc, a, id, workspace.TaskPatch{Title: ptr("hijacked"), Status: ptr(workspace.TaskDone)})
				return err
			}},
		{name: "DeleteTask", id: func(w *fixture.Workspace) string { return w.TaskID },
			call: func(s *workspace.Store, sc workspace.Scope, a workspace.Actor, id string) error {
				return s.DeleteTask(ctx, sc, a, id)
			},
			fresh: func(fx *fixture.Fixture, w *fixture.Workspace) string { return fx.Task(w, "to delete").ID }},
		{name: "Ticket", id: func(w *fixture.Workspace) string { return w.TicketID },
			call: func(s *workspace.Store, sc workspace.Scope, _ workspace.Actor, id string) error {
				_, err := s.Ticket(ctx, sc, id)
				return err
			}},
		{name: "UpdateTicket", id: func(w *fixture.Workspace) string { return w.TicketID },
			call: func(s *workspace.Store, sc workspace.Scope, a workspace.Actor, id string) error {
				_, err := s.UpdateTicket(ctx, sc, a, id, workspace.TicketPatch{Status: ptr(workspace.TicketClosed), Priority: ptr(workspace.PriorityLow)})
				return err
			}},
		{name: "Comments", id: func(w *fixture.Workspace) string { return w.TicketID },
			call: func(s *workspace.Store, sc workspace.Scope, _ workspace.Actor, id string) error {
				_, err := s.Comments(ctx, sc, id)
				return err
			}},
		{name: "AddComment", id: func(w *fixture.Workspace) string { return w.TicketID },
			call: func(s *workspace.Store, sc workspace.Scope, a workspace.Actor, id string) error {
				_, err := s.AddComment(ctx, sc, a, id, "intruder", false)
				return err
			}},
		{name: "Invoice", id: func(w *fixture.Workspace) string { return w.SentInvoiceID },
			call: func(s *workspace.Store, sc workspace.Scope, _ workspace.Actor, id string) error {
				_, err := s.Invoice(ctx, sc, id)
				return err
			}},
		{name: "Invoice(draft)", id: func(w *fixture.Workspace) string { return w.DraftInvoiceID },
			call: func(s *workspace.Store, sc workspace.Scope, _ workspace.Actor, id string) error {
				_, err := s.Invoice(ctx, sc, id)
				return err
			}},
		{name: "UpdateInvoice", id: func(w *fixture.Workspace) string { return w.DraftInvoiceID },
			call: func(s *workspace.Store, sc workspace.Scope, a workspace.Actor, id string) error {
				_, err := s.UpdateInvoice(ctx, sc, a, id, workspace.InvoicePatch{Status: ptr(workspace.InvoiceVoid),
					Lines: &[]workspace.LineInput{{Description: "x", Quantity: 1, UnitPriceCents: 1}}})
				return err
			}},
		{name: "Note", id: func(w *fixture.Workspace) string { return w.AgencyNoteID },
			call: func(s *workspace.Store, sc workspace.Scope, _ workspace.Actor, id string) error {
				_, err := s.Note(ctx, sc, id)
				return err
			}},
		{name: "UpdateNote", id: func(w *fixture.Workspace) string { return w.AgencyNoteID },
			call: func(s *workspace.Store, sc workspace.Scope, a workspace.Actor, id string) error {
				_, err := s.UpdateNote(ctx, sc, a, id, "overwritten", false)
				return err
			}},
		{name: "DeleteNote", id: func(w *fixture.Workspace) string { return w.AgencyNoteID },
			call: func(s *workspace.Store, sc workspace.Scope, a workspace.Actor, id string) error {
				return s.DeleteNote(ctx, sc, a, id)
			},
			fresh: func(fx *fixture.Fixture, w *fixture.Workspace) string { return fx.Note(w, "to delete", true).ID }},
	}
}

// snapshot reads everything of a workspace through its staff scope.
func snapshot(t *testing.T, s *workspace.Store, w *fixture.Workspace) string {
	t.Helper()
	sc := w.StaffScope()
	var parts []any
	add := func(v any, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("snapshot of %s: %v", w.Key, err)
		}
		parts = append(parts, v)
	}
	add(s.Tasks(ctx, sc))
	add(s.Messages(ctx, sc, workspace.ListOptions{Limit: 200}))
	add(s.Tickets(ctx, sc, "", workspace.ListOptions{Limit: 200}))
	add(s.Comments(ctx, sc, w.TicketID))
	for _, id := range []string{w.SentInvoiceID, w.PaidInvoiceID, w.DraftInvoiceID} {
		add(s.Invoice(ctx, sc, id))
	}
	add(s.Notes(ctx, sc))
	add(s.Activity(ctx, sc, 200))
	add(s.Workspace(ctx, w.AgencyID, w.ID))
	var num int
	if err := s.DB().NewSelect().Table("workspaces").Column("next_ticket_number").Where("id = ?", w.ID).Scan(ctx, &num); err != nil {
		t.Fatal(err)
	}
	parts = append(parts, num)
	return asJSON(t, parts)
}

// TestScopeNeverReachesOtherWorkspaces: a staff scope of A1 given the id of
// a row of A2 (same agency), B1 or B2 (other agency) gets store.ErrNotFound
// from every get, update and delete, and the row is left as it was; the
// same call with A1's own row succeeds, so the test can fail.
func TestScopeNeverReachesOtherWorkspaces(t *testing.T) {
	each(t, func(t *testing.T, fx *fixture.Fixture, s *workspace.Store) {
		before := map[string]string{}
		for _, o := range fx.Others(fx.A1) {
			before[o.Key] = snapshot(t, s, o)
		}
		sc, actor := fx.A1.StaffScope(), fx.A1.StaffActor()
		// A scope that mixes agency A with a workspace of B is as foreign.
		mixed := workspace.StaffScope(fx.A.ID, fx.B1.ID)
		for _, m := range byIDMethods() {
			t.Run(m.name, func(t *testing.T) {
				for _, o := range fx.Others(fx.A1) {
					if err := m.call(s, sc, actor, m.id(o)); !errorsIsNotFound(err) {
						t.Errorf("A1 scope with %s's id: got %v, want ErrNotFound", o.Key, err)
					}
				}
				if err := m.call(s, mixed, actor, m.id(fx.B1)); !errorsIsNotFound(err) {
					t.Errorf("scope {A, B1} with B1's id: got %v, want ErrNotFound", err)
				}
				for _, junk := range []string{"", "1", "../x", "' OR 1=1 --", m.id(fx.A1) + "x"} {
					if err := m.call(s, sc, actor, junk); !errorsIsNotFound(err) {
						t.Errorf("junk id %q: got %v, want ErrNotFound", junk, err)
					}
				}
				own := m.id(fx.A1)
				if m.fresh != nil {
					own = m.fresh(fx, fx.A1)
				}
				if err := m.call(s, sc, actor, own); err != nil {
					t.Errorf("A1 scope with A1's own id: %v", err)
				}
			})
		}
		for _, o := range fx.Others(fx.A1) {
			if after := snapshot(t, s, o); after != before[o.Key] {
				t.Errorf("%s changed through A1's scope:\nbefore %s\nafter  %s", o.Key, before[o.Key], after)
			}
		}
	})
}

func errorsIsNotFound(err error) bool { return errors.Is(err, store.ErrNotFound) }

// TestListsStayInTheirWorkspace: the lists of A1 hold A1's rows only, and a
// scope that mixes agency A with a workspace of B lists nothing and writes nothing.
func TestListsStayInTheirWorkspace(t *testing.T) {
	each(t, func(t *testing.T, fx *fixture.Fixture, s *workspace.Store) {
		for _, sc := range []workspace.Scope{fx.A1.StaffScope(), fx.A1.ClientScope()} {
			out := asJSON(t, lists(t, s, sc, fx.A1))
			if leaks := fixture.Leaks(out, fx.MustNotSeeStaff(fx.A1)); len(leaks) > 0 {
				t.Errorf("%s lists of A1 show %v", sc.Audience, leaks)
			}
		}
		mixed := workspace.StaffScope(fx.A.ID, fx.B1.ID)
		tasks, err := s.Tasks(ctx, mixed)
		if err != nil || len(tasks) != 0 {
			t.Errorf("mixed scope tasks = %v, %v; want none", tasks, err)
		}
		tickets, err := s.Tickets(ctx, mixed, "", workspace.ListOptions{})
		if err != nil || len(tickets.Items) != 0 {
			t.Errorf("mixed scope tickets = %v, %v; want none", tickets, err)
		}
		writes := map[string]func() error{
			"CreateTask": func() error {
				_, err := s.CreateTask(ctx, mixed, fx.A1.StaffActor(), workspace.TaskInput{Title: "x"})
				return err
			},
			"PostMessage": func() error { _, err := s.PostMessage(ctx, mixed, fx.A1.StaffActor(), "x"); return err },
			"CreateTicket": func() error {
				_, err := s.CreateTicket(ctx, mixed, fx.A1.StaffActor(), workspace.TicketInput{Subject: "x"})
				return err
			},
			"CreateNote": func() error { _, err := s.CreateNote(ctx, mixed, fx.A1.StaffActor(), "x", true); return err },
			"CreateInvoice": func() error {
				_, err := s.CreateInvoice(ctx, mixed, fx.A1.StaffActor(), invoiceInput("X-1"))
				return err
			},
		}
		for name, w := range writes {
			if err := w(); !errorsIsNotFound(err) {
				t.Errorf("%s with scope {A, B1}: got %v, want ErrNotFound", name, err)
			}
		}
		if n := count(t, s, "activity", fx.B1.ID); n != 12 {
			t.Errorf("B1 has %d activity rows, want the fixture's 12", n)
		}
		// Workspaces are agency-level: A sees A1 and A2, never B's.
		for _, o := range []*fixture.Workspace{fx.B1, fx.B2} {
			if _, err := s.Workspace(ctx, fx.A.ID, o.ID); !errorsIsNotFound(err) {
				t.Errorf("Workspace(A, %s): %v", o.Key, err)
			}
			if _, err := s.UpdateWorkspace(ctx, fx.A.ID, o.ID, fx.A1.StaffActor(), workspace.WorkspaceInput{Name: "hijack"}); !errorsIsNotFound(err) {
				t.Errorf("UpdateWorkspace(A, %s): %v", o.Key, err)
			}
		}
		if _, err := s.Workspace(ctx, fx.A.ID, fx.A2.ID); err != nil {
			t.Errorf("Workspace(A, A2): %v", err)
		}
		page, err := s.Workspaces(ctx, fx.A.ID, "", workspace.ListOptions{})
		if err != nil || len(page.Items) != 2 {
			t.Fatalf("Workspaces(A) = %v, %v; want A1 and A2", page.Items, err)
		}
		if n, err := s.CountWorkspaces(ctx, fx.B.ID); err != nil || n != 2 {
			t.Errorf("CountWorkspaces(B) = %d, %v", n, err)
		}
		if !reflect.DeepEqual([]string{page.Items[0].ID, page.Items[1].ID}, []string{fx.A1.ID, fx.A2.ID}) {
			t.Errorf("Workspaces(A) by name = %s, %s; want A1, A2", page.Items[0].Name, page.Items[1].Name)
		}
	})
}

// lists reads every list of a scope.
func lists(t *testing.T, s *workspace.Store, sc workspace.Scope, w *fixture.Workspace) []any {
	t.Helper()
	var out []any
	add := func(v any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	add(s.Tasks(ctx, sc))
	add(s.Messages(ctx, sc, workspace.ListOptions{}))
	add(s.Tickets(ctx, sc, "", workspace.ListOptions{}))
	add(s.Comments(ctx, sc, w.TicketID))
	add(s.Invoices(ctx, sc, workspace.ListOptions{}))
	add(s.Notes(ctx, sc))
	add(s.Activity(ctx, sc, 200))
	add(s.InvoiceTotals(ctx, sc, fixture.Today))
	return out
}

func invoiceInput(number string) workspace.InvoiceInput {
	return workspace.InvoiceInput{Number: number, IssuedOn: "2026-03-01", DueOn: "2026-03-31", Currency: "EUR",
		Lines: []workspace.LineInput{{Description: "Work", Quantity: 1, UnitPriceCents: 100}}}
}
