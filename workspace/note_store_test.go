package workspace_test

import (
	"testing"

	"workrate/field"
	"workrate/fixture"
	"workrate/workspace"
)

func TestNotes(t *testing.T) {
	each(t, func(t *testing.T, fx *fixture.Fixture, s *workspace.Store) {
		w := fx.B1
		sc, a := w.StaffScope(), w.StaffActor()
		n, err := s.CreateNote(ctx, sc, a, "  Prefers calls  ", true)
		if err != nil {
			t.Fatal(err)
		}
		if n.Body != "Prefers calls" || !n.AgencyOnly || n.AuthorName != "Staff B" {
			t.Errorf("created %+v", n)
		}
		notes, err := s.Notes(ctx, sc)
		if err != nil || len(notes) != 3 || notes[0].ID != n.ID {
			t.Fatalf("notes = %+v, %v; want 3, newest first", notes, err)
		}
		client, err := s.Notes(ctx, w.ClientScope())
		if err != nil || len(client) != 1 || client[0].ID != w.SharedNoteID {
			t.Errorf("client notes = %+v, %v; want the shared one", client, err)
		}
		// Sharing a note makes it visible to the client; unsharing hides it again.
		up, err := s.UpdateNote(ctx, sc, a, n.ID, "Prefers calls after 10", false)
		if err != nil || up.AgencyOnly || up.Body != "Prefers calls after 10" {
			t.Fatalf("updated %+v, %v", up, err)
		}
		if _, err := s.Note(ctx, w.ClientScope(), n.ID); err != nil {
			t.Errorf("shared note hidden from client: %v", err)
		}
		if _, err := s.UpdateNote(ctx, sc, a, n.ID, "again private", true); err != nil {
			t.Fatal(err)
		}
		_, err = s.Note(ctx, w.ClientScope(), n.ID)
		wantNotFound(t, err)
		_, err = s.UpdateNote(ctx, sc, a, n.ID, "", true)
		wantField(t, err, "body", field.Required)

		if err := s.DeleteNote(ctx, sc, a, n.ID); err != nil {
			t.Fatal(err)
		}
		_, err = s.Note(ctx, sc, n.ID)
		wantNotFound(t, err)
		_, err = s.UpdateNote(ctx, sc, a, n.ID, "gone", true)
		wantNotFound(t, err)

		// Every note change is internal activity.
		act, err := s.Activity(ctx, sc, 4)
		if err != nil {
			t.Fatal(err)
		}
		want := []string{workspace.VerbNoteDeleted, workspace.VerbNoteUpdated, workspace.VerbNoteUpdated, workspace.VerbNoteCreated}
		for i, e := range act {
			if e.Verb != want[i] || e.Visibility != workspace.VisibilityInternal || e.SubjectID != n.ID {
				t.Errorf("activity %d = %s/%s, want %s/internal", i, e.Verb, e.Visibility, want[i])
			}
		}
	})
}

func TestWorkspaces(t *testing.T) {
	each(t, func(t *testing.T, fx *fixture.Fixture, s *workspace.Store) {
		a := fx.A1.StaffActor()
		w, err := s.CreateWorkspace(ctx, fx.A.ID, a, workspace.WorkspaceInput{Name: " Acme\nCorp ", ContactEmail: ""})
		if err != nil {
			t.Fatal(err)
		}
		if w.Name != "Acme Corp" || w.ContactEmail != "" || w.AgencyID != fx.A.ID {
			t.Errorf("created %+v", w)
		}
		up, err := s.UpdateWorkspace(ctx, fx.A.ID, w.ID, a, workspace.WorkspaceInput{Name: "Acme", ContactEmail: "ops@acme.example"})
		if err != nil || up.Name != "Acme" || up.ContactEmail != "ops@acme.example" || !up.CreatedAt.Equal(w.CreatedAt) {
			t.Fatalf("updated %+v, %v", up, err)
		}
		got, err := s.Workspace(ctx, fx.A.ID, w.ID)
		if err != nil || got.Name != "Acme" {
			t.Errorf("read %+v, %v", got, err)
		}
		_, err = s.Workspace(ctx, fx.B.ID, w.ID)
		wantNotFound(t, err)
		_, err = s.Workspace(ctx, "junk", w.ID)
		wantNotFound(t, err)
		_, err = s.CreateWorkspace(ctx, "junk", a, workspace.WorkspaceInput{Name: "x"})
		wantNotFound(t, err)
		if n, err := s.CountWorkspaces(ctx, fx.A.ID); err != nil || n != 3 {
			t.Errorf("CountWorkspaces(A) = %d, %v", n, err)
		}
		// A new workspace numbers its tickets from 1.
		if tk := fx.Ticket(&fixture.Workspace{Workspace: w, Key: "new", Staff: fx.StaffA}, "first"); tk.Number != 1 {
			t.Errorf("first ticket number %d", tk.Number)
		}
		act, err := s.Activity(ctx, w.StaffScope(), 10)
		if err != nil || len(act) != 3 || act[2].Verb != workspace.VerbWorkspaceCreated || act[1].Verb != workspace.VerbWorkspaceUpdated ||
			act[1].Visibility != workspace.VisibilityInternal {
			t.Errorf("workspace activity %+v, %v", act, err)
		}
	})
}

// TestActivityForTools: a client's dashboard shows activity of its tools only.
func TestActivityForTools(t *testing.T) {
	each(t, func(t *testing.T, fx *fixture.Fixture, s *workspace.Store) {
		w := fx.A1
		for _, tc := range []struct {
			tools []workspace.Tool
			want  map[string]bool
		}{
			{nil, map[string]bool{}},
			{[]workspace.Tool{workspace.ToolDashboard}, map[string]bool{}},
			{[]workspace.Tool{workspace.ToolTickets}, map[string]bool{workspace.SubjectTicket: true}},
			{[]workspace.Tool{workspace.ToolTasks, workspace.ToolInvoices}, map[string]bool{workspace.SubjectTask: true, workspace.SubjectInvoice: true}},
		} {
			act, err := s.ActivityFor(ctx, w.ClientScope(), tc.tools, 100)
			if err != nil {
				t.Fatal(err)
			}
			seen := map[string]bool{}
			for _, e := range act {
				seen[e.SubjectType] = true
				if e.Visibility != workspace.VisibilityClient {
					t.Errorf("client sees %s activity", e.Visibility)
				}
			}
			if len(seen) != len(tc.want) {
				t.Errorf("tools %v: subjects %v, want %v", tc.tools, seen, tc.want)
			}
			for k := range tc.want {
				if !seen[k] {
					t.Errorf("tools %v: no %s activity", tc.tools, k)
				}
			}
		}
		if workspace.SubjectTool(workspace.SubjectNote) != "" || workspace.SubjectTool(workspace.SubjectTicket) != workspace.ToolTickets {
			t.Error("SubjectTool")
		}
	})
}
