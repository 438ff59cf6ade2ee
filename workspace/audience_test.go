package workspace_test

import (
	"testing"

	"workrate/fixture"
	"workrate/workspace"
)

// reader is one list or get method, called with a scope of A1.
type reader struct {
	name string
	read func(s *workspace.Store, sc workspace.Scope, w *fixture.Workspace) (any, error)
	// staffSees are hidden kinds staff must find (so the test can fail);
	// shared are visible kinds both audiences must find.
	staffSees, shared []string
	// clientNotFound: the client gets store.ErrNotFound (a hidden row by id).
	clientNotFound bool
}

func readers() []reader {
	return []reader{
		{name: "Tasks", shared: []string{"tasktitle", "taskdesc"},
			read: func(s *workspace.Store, sc workspace.Scope, _ *fixture.Workspace) (any, error) {
				return s.Tasks(ctx, sc)
			}},
		{name: "Task", shared: []string{"tasktitle"},
			read: func(s *workspace.Store, sc workspace.Scope, w *fixture.Workspace) (any, error) {
				return s.Task(ctx, sc, w.TaskID)
			}},
		{name: "Messages", shared: []string{"staffmsg", "clientmsg"},
			read: func(s *workspace.Store, sc workspace.Scope, _ *fixture.Workspace) (any, error) {
				return s.Messages(ctx, sc, workspace.ListOptions{})
			}},
		{name: "Tickets", shared: []string{"ticketsubj", "ticketbody"},
			read: func(s *workspace.Store, sc workspace.Scope, _ *fixture.Workspace) (any, error) {
				return s.Tickets(ctx, sc, "", workspace.ListOptions{})
			}},
		{name: "Ticket", shared: []string{"ticketsubj"},
			read: func(s *workspace.Store, sc workspace.Scope, w *fixture.Workspace) (any, error) {
				return s.Ticket(ctx, sc, w.TicketID)
			}},
		{name: "Comments", staffSees: []string{"internalcomment"}, shared: []string{"publiccomment"},
			read: func(s *workspace.Store, sc workspace.Scope, w *fixture.Workspace) (any, error) {
				return s.Comments(ctx, sc, w.TicketID)
			}},
		{name: "Invoices", staffSees: []string{"draftinvoice"}, shared: []string{"sentinvoice", "paidinvoice"},
			read: func(s *workspace.Store, sc workspace.Scope, _ *fixture.Workspace) (any, error) {
				return s.Invoices(ctx, sc, workspace.ListOptions{})
			}},
		{name: "Invoice(sent)", shared: []string{"sentinvoice", "sentline"},
			read: func(s *workspace.Store, sc workspace.Scope, w *fixture.Workspace) (any, error) {
				return s.Invoice(ctx, sc, w.SentInvoiceID)
			}},
		{name: "Invoice(draft)", staffSees: []string{"draftinvoice", "draftline"}, clientNotFound: true,
			read: func(s *workspace.Store, sc workspace.Scope, w *fixture.Workspace) (any, error) {
				return s.Invoice(ctx, sc, w.DraftInvoiceID)
			}},
		{name: "Notes", staffSees: []string{"agencynote"}, shared: []string{"sharednote"},
			read: func(s *workspace.Store, sc workspace.Scope, _ *fixture.Workspace) (any, error) {
				return s.Notes(ctx, sc)
			}},
		{name: "Note(shared)", shared: []string{"sharednote"},
			read: func(s *workspace.Store, sc workspace.Scope, w *fixture.Workspace) (any, error) {
				return s.Note(ctx, sc, w.SharedNoteID)
			}},
		{name: "Note(agency-only)", staffSees: []string{"agencynote"}, clientNotFound: true,
			read: func(s *workspace.Store, sc workspace.Scope, w *fixture.Workspace) (any, error) {
				return s.Note(ctx, sc, w.AgencyNoteID)
			}},
		{name: "Activity", staffSees: []string{"draftinvoice", "agencynote"}, shared: []string{"tasktitle", "ticketsubj", "sentinvoice", "paidinvoice"},
			read: func(s *workspace.Store, sc workspace.Scope, _ *fixture.Workspace) (any, error) {
				return s.Activity(ctx, sc, 200)
			}},
		{name: "ActivityFor(all tools)", shared: []string{"tasktitle", "ticketsubj", "sentinvoice"},
			read: func(s *workspace.Store, sc workspace.Scope, _ *fixture.Workspace) (any, error) {
				return s.ActivityFor(ctx, sc, workspace.AllTools(), 200)
			}},
		{name: "InvoiceTotals",
			read: func(s *workspace.Store, sc workspace.Scope, _ *fixture.Workspace) (any, error) {
				return s.InvoiceTotals(ctx, sc, fixture.Today)
			}},
		{name: "CountOpenTickets",
			read: func(s *workspace.Store, sc workspace.Scope, _ *fixture.Workspace) (any, error) {
				return s.CountOpenTickets(ctx, sc)
			}},
	}
}

// TestClientNeverSeesInternalRows runs every list and get method with
// both audiences: the client's answer holds none of the hidden markers
// (nor any other workspace's), staff's answer holds them, and both hold the
// visible ones.
func TestClientNeverSeesInternalRows(t *testing.T) {
	each(t, func(t *testing.T, fx *fixture.Fixture, s *workspace.Store) {
		w := fx.A1
		for _, r := range readers() {
			for _, sc := range []workspace.Scope{w.StaffScope(), w.ClientScope()} {
				t.Run(r.name+"/"+sc.Audience.String(), func(t *testing.T) {
					got, err := r.read(s, sc, w)
					if sc.Audience == workspace.Client && r.clientNotFound {
						wantNotFound(t, err)
						return
					}
					if err != nil {
						t.Fatal(err)
					}
					out := asJSON(t, got)
					forbidden := fx.MustNotSeeStaff(w)
					if sc.Audience == workspace.Client {
						forbidden = fx.MustNotSee(w)
					}
					if leaks := fixture.Leaks(out, forbidden); len(leaks) > 0 {
						t.Errorf("%s sees %v in %s", sc.Audience, leaks, out)
					}
					want := r.shared
					if sc.Audience == workspace.Staff {
						want = append(append([]string{}, r.shared...), r.staffSees...)
					}
					for _, kind := range want {
						if m := w.Marker(kind); len(fixture.Leaks(out, []string{m})) == 0 {
							t.Errorf("%s does not see %s in %s", sc.Audience, m, out)
						}
					}
				})
			}
		}
	})
}

// TestClientAudienceFiltersByValue checks the numbers behind the markers:
// client activity is "client" only, counts are the same for both audiences,
// and an unknown audience is treated as a client.
func TestClientAudienceFiltersByValue(t *testing.T) {
	each(t, func(t *testing.T, fx *fixture.Fixture, s *workspace.Store) {
		w := fx.A1
		staffAct, err := s.Activity(ctx, w.StaffScope(), 200)
		if err != nil {
			t.Fatal(err)
		}
		internal := 0
		for _, a := range staffAct {
			if a.Visibility == workspace.VisibilityInternal {
				internal++
			}
		}
		for _, aud := range []workspace.Audience{workspace.Client, workspace.Audience(7)} {
			sc := workspace.Scope{AgencyID: w.AgencyID, WorkspaceID: w.ID, Audience: aud}
			act, err := s.Activity(ctx, sc, 200)
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range act {
				if a.Visibility != workspace.VisibilityClient {
					t.Errorf("audience %d sees %s activity %s", aud, a.Visibility, a.Verb)
				}
			}
			if len(act)+internal != len(staffAct) || internal == 0 {
				t.Errorf("audience %d sees %d of %d activities (%d internal)", aud, len(act), len(staffAct), internal)
			}
			cs, err := s.Comments(ctx, sc, w.TicketID)
			if err != nil || len(cs) != 1 || cs[0].Internal {
				t.Errorf("audience %d comments = %+v, %v; want the public one", aud, cs, err)
			}
		}
		for _, sc := range []workspace.Scope{w.StaffScope(), w.ClientScope()} {
			tot, err := s.InvoiceTotals(ctx, sc, fixture.Today)
			if err != nil {
				t.Fatal(err)
			}
			if tot.UnpaidCount != 1 || tot.UnpaidCents["EUR"] != 18000 || tot.OverdueCount != 1 || tot.OverdueCents["EUR"] != 18000 {
				t.Errorf("%s totals = %+v; want the sent invoice only (drafts never count)", sc.Audience, tot)
			}
			n, err := s.CountOpenTickets(ctx, sc)
			if err != nil || n != 1 {
				t.Errorf("%s open tickets = %d, %v", sc.Audience, n, err)
			}
		}
	})
}
