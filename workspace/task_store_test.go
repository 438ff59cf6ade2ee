package workspace_test

import (
	"testing"

	"workrate/field"
	"workrate/fixture"
	"workrate/workspace"
)

func TestTaskBoard(t *testing.T) {
	each(t, func(t *testing.T, fx *fixture.Fixture, s *workspace.Store) {
		w := fx.A2
		sc, a := w.StaffScope(), w.StaffActor()
		t1, err := s.CreateTask(ctx, sc, a, workspace.TaskInput{Title: "  First\ttodo  ", DueOn: "2026-02-28"})
		if err != nil {
			t.Fatal(err)
		}
		if t1.Title != "First todo" || t1.Status != workspace.TaskTodo || t1.Position != 1 || t1.DueOn != "2026-02-28" {
			t.Errorf("created %+v; want a cleaned title, status todo, position 1", t1)
		}
		t2 := fx.Task(w, "Second todo")
		if t2.Position != 2 {
			t.Errorf("second todo at position %d, want 2", t2.Position)
		}
		done, err := s.CreateTask(ctx, sc, a, workspace.TaskInput{Title: "Shipped", Status: workspace.TaskDone})
		if err != nil {
			t.Fatal(err)
		}
		board, err := s.Tasks(ctx, sc)
		if err != nil {
			t.Fatal(err)
		}
		// By column (todo, in_progress, review, done), then position.
		want := []string{t1.ID, t2.ID, w.TaskID, done.ID}
		if got := ids(board); !equal(got, want) {
			t.Errorf("board order %v, want %v", titles(board), want)
		}

		// Moving a task puts it at the end of its new column.
		moved, err := s.UpdateTask(ctx, sc, a, t1.ID, workspace.TaskPatch{Status: ptr(workspace.TaskDone)})
		if err != nil {
			t.Fatal(err)
		}
		if moved.Status != workspace.TaskDone || moved.Position != done.Position+1 || moved.Title != "First todo" {
			t.Errorf("moved %+v", moved)
		}
		// Reorder within a column, and edit.
		edited, err := s.UpdateTask(ctx, sc, a, t1.ID, workspace.TaskPatch{Position: ptr(int64(0)), Title: ptr("Renamed"),
			Description: ptr("More"), DueOn: ptr(""), AssigneeID: ptr(fx.StaffA.ID)})
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.Task(ctx, sc, t1.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Position != 0 || got.Title != "Renamed" || got.Description != "More" || got.DueOn != "" || got.AssigneeID != fx.StaffA.ID ||
			!got.UpdatedAt.Equal(edited.UpdatedAt) {
			t.Errorf("stored %+v", got)
		}
		board, _ = s.Tasks(ctx, sc)
		if got := ids(board); !equal(got, []string{t2.ID, w.TaskID, t1.ID, done.ID}) {
			t.Errorf("board after reorder %v", titles(board))
		}

		// An assignee of another agency is refused.
		_, err = s.UpdateTask(ctx, sc, a, t1.ID, workspace.TaskPatch{AssigneeID: ptr(fx.StaffB.ID)})
		wantField(t, err, "assignee_id", field.InvalidAssignee)
		_, err = s.CreateTask(ctx, sc, a, workspace.TaskInput{Title: "x", AssigneeID: "nobody"})
		wantField(t, err, "assignee_id", field.InvalidAssignee)
		_, err = s.UpdateTask(ctx, sc, a, t1.ID, workspace.TaskPatch{Status: ptr("archived")})
		wantField(t, err, "status", field.InvalidStatus)

		if err := s.DeleteTask(ctx, sc, a, t2.ID); err != nil {
			t.Fatal(err)
		}
		_, err = s.Task(ctx, sc, t2.ID)
		wantNotFound(t, err)
		wantNotFound(t, s.DeleteTask(ctx, sc, a, t2.ID))

		checkTaskActivity(t, s, sc)
	})
}

func ids(ts []workspace.Task) []string {
	out := make([]string, len(ts))
	for i, x := range ts {
		out[i] = x.ID
	}
	return out
}

func titles(ts []workspace.Task) []string {
	out := make([]string, len(ts))
	for i, x := range ts {
		out[i] = x.Status + ":" + x.Title
	}
	return out
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// checkTaskActivity wants the task activity of TestTaskBoard: 4 created
// (fixture + 3), 1 moved, 1 updated (the pure reorder is folded in), 1
// deleted, all visible to the client.
func checkTaskActivity(t *testing.T, s *workspace.Store, sc workspace.Scope) {
	t.Helper()
	act, err := s.Activity(ctx, sc, 200)
	if err != nil {
		t.Fatal(err)
	}
	verbs := map[string]int{}
	for _, e := range act {
		if e.SubjectType == workspace.SubjectTask {
			verbs[e.Verb]++
			if e.Visibility != workspace.VisibilityClient {
				t.Errorf("task activity %s is %s, want client", e.Verb, e.Visibility)
			}
		}
	}
	if verbs[workspace.VerbTaskCreated] != 4 || verbs[workspace.VerbTaskMoved] != 1 || verbs[workspace.VerbTaskUpdated] != 1 || verbs[workspace.VerbTaskDeleted] != 1 {
		t.Errorf("task activity %v", verbs)
	}
}
