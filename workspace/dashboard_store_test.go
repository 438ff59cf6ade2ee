package workspace_test

import (
	"fmt"
	"testing"

	"workrate/fixture"
	"workrate/workspace"
)

// The dashboard's parts: the first rows of each status in order, exact
// counts beyond the limit, and nothing of another workspace.
func TestDashboardParts(t *testing.T) {
	each(t, func(t *testing.T, fx *fixture.Fixture, s *workspace.Store) {
		w := fx.A1
		sc, a := w.StaffScope(), w.StaffActor()
		// Rows in another workspace of the same agency must never show.
		other := fx.A2.StaffScope()
		for i := range 4 {
			for _, st := range []string{workspace.TaskTodo, workspace.TaskInProgress, workspace.TaskReview} {
				for _, s2 := range []workspace.Scope{sc, other} {
					if _, err := s.CreateTask(ctx, s2, a, workspace.TaskInput{Title: fmt.Sprintf("%s %d", st, i), Status: st}); err != nil {
						t.Fatal(err)
					}
				}
			}
			for _, st := range []string{workspace.TicketOpen, workspace.TicketWaiting, workspace.TicketResolved} {
				for _, s2 := range []workspace.Scope{sc, other} {
					tk, err := s.CreateTicket(ctx, s2, a, workspace.TicketInput{Subject: fmt.Sprintf("%s %d", st, i), Body: "b"})
					if err != nil {
						t.Fatal(err)
					}
					if _, err := s.UpdateTicket(ctx, s2, a, tk.ID, workspace.TicketPatch{Status: &st}); err != nil {
						t.Fatal(err)
					}
				}
			}
		}

		// Active work: the fixture's task in review, 4 in progress, 4 more in review.
		tasks, err := s.ActiveTasks(ctx, w.ClientScope(), 6)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, tk := range tasks {
			if tk.WorkspaceID != w.ID {
				t.Fatalf("task of workspace %s listed", tk.WorkspaceID)
			}
			got = append(got, tk.Status)
		}
		want := []string{"in_progress", "in_progress", "in_progress", "in_progress", "review", "review"}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("active tasks by status %v, want %v", got, want)
		}
		for i := 1; i < 4; i++ {
			if tasks[i].Position < tasks[i-1].Position {
				t.Errorf("in-progress tasks out of board order: %+v", tasks[:4])
			}
		}

		// Open tickets: 2 per status, newest first; the count covers all
		// (the fixture's open ticket, 4 open and 4 waiting).
		tickets, total, err := s.OpenTickets(ctx, w.ClientScope(), 2)
		if err != nil {
			t.Fatal(err)
		}
		got = got[:0]
		for _, tk := range tickets {
			if tk.WorkspaceID != w.ID {
				t.Fatalf("ticket of workspace %s listed", tk.WorkspaceID)
			}
			got = append(got, tk.Subject)
		}
		want = []string{"open 3", "open 2", "waiting 3", "waiting 2"}
		if fmt.Sprint(got) != fmt.Sprint(want) || total != 9 {
			t.Errorf("open tickets %q, %d in all; want %q, 9", got, total, want)
		}
		if _, total, err := s.OpenTickets(ctx, fx.B1.ClientScope(), 2); err != nil || total != 1 {
			t.Errorf("other agency's open tickets = %d, %v; want its fixture ticket only", total, err)
		}
	})
}
