package workspace

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"workrate/field"
	"workrate/store"
)

// Task statuses: the columns of the board, in order.
const (
	TaskTodo       = "todo"
	TaskInProgress = "in_progress"
	TaskReview     = "review"
	TaskDone       = "done"
)

// TaskStatuses returns the task statuses in board order.
func TaskStatuses() []string { return []string{TaskTodo, TaskInProgress, TaskReview, TaskDone} }

// Task is a card on a workspace's board.
type Task struct {
	bun.BaseModel `bun:"table:tasks" json:"-"`

	ID          string    `bun:"id,pk" json:"id"`
	AgencyID    string    `bun:"agency_id" json:"-"`
	WorkspaceID string    `bun:"workspace_id" json:"-"`
	Title       string    `bun:"title" json:"title"`
	Description string    `bun:"description" json:"description"`
	Status      string    `bun:"status" json:"status"`
	Position    int64     `bun:"position" json:"position"`
	DueOn       string    `bun:"due_on" json:"due_on"` // YYYY-MM-DD or ""
	AssigneeID  string    `bun:"assignee_id" json:"assignee_id"`
	CreatedAt   time.Time `bun:"created_at" json:"created_at"`
	UpdatedAt   time.Time `bun:"updated_at" json:"updated_at"`
}

// TaskInput is a new task: a title (1–200 characters), an optional
// description, a status (default todo), an optional due date and assignee
// (a staff member of the agency).
type TaskInput struct {
	Title       string `json:"title"`
	Description string `json:"description"`
	Status      string `json:"status"`
	DueOn       string `json:"due_on"`
	AssigneeID  string `json:"assignee_id"`
}

// TaskPatch changes the fields that are not nil.
type TaskPatch struct {
	Title       *string `json:"title"`
	Description *string `json:"description"`
	Status      *string `json:"status"`
	DueOn       *string `json:"due_on"`
	AssigneeID  *string `json:"assignee_id"`
	Position    *int64  `json:"position"`
}

// boardOrder sorts tasks by column, then by position in the column.
const boardOrder = "CASE status WHEN 'todo' THEN 0 WHEN 'in_progress' THEN 1 WHEN 'review' THEN 2 ELSE 3 END"

// Tasks returns the whole board, by status then position.
func (s *Store) Tasks(ctx context.Context, sc Scope) ([]Task, error) {
	if err := sc.check(); err != nil {
		return nil, fmt.Errorf("workspace: tasks: %w", err)
	}
	out := []Task{}
	err := s.db.NewSelect().Model(&out).
		Where("agency_id = ? AND workspace_id = ?", sc.AgencyID, sc.WorkspaceID).
		OrderExpr(boardOrder).Order("position", "id").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("workspace: tasks of %s: %w", sc, store.Translate(err))
	}
	return out, nil
}

// Task returns one task of the scope.
func (s *Store) Task(ctx context.Context, sc Scope, id string) (*Task, error) {
	if err := sc.checkID(id); err != nil {
		return nil, fmt.Errorf("workspace: task %q: %w", id, err)
	}
	return taskByID(ctx, s.db, sc, id)
}

func taskByID(ctx context.Context, db bun.IDB, sc Scope, id string) (*Task, error) {
	t := new(Task)
	err := db.NewSelect().Model(t).Where("agency_id = ? AND workspace_id = ? AND id = ?", sc.AgencyID, sc.WorkspaceID, id).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("workspace: task %s: %w", id, store.Translate(err))
	}
	return t, nil
}

// CreateTask adds a task at the end of its column. Client scopes are refused
// (store.ErrNotFound): clients see the board read-only.
func (s *Store) CreateTask(ctx context.Context, sc Scope, a Actor, in TaskInput) (*Task, error) {
	if err := sc.checkStaff(); err != nil {
		return nil, fmt.Errorf("workspace: create task: %w", err)
	}
	var err error
	t := &Task{AgencyID: sc.AgencyID, WorkspaceID: sc.WorkspaceID}
	if t.Title, err = line("title", in.Title, true, maxTitle); err != nil {
		return nil, err
	}
	if t.Description, err = text("description", in.Description, false, maxBody); err != nil {
		return nil, err
	}
	if in.Status == "" {
		in.Status = TaskTodo
	}
	if t.Status, err = oneOf("status", field.InvalidStatus, in.Status, TaskStatuses()); err != nil {
		return nil, err
	}
	if t.DueOn, err = date("due_on", in.DueOn, false); err != nil {
		return nil, err
	}
	t.AssigneeID = clean(in.AssigneeID)
	err = s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if err := ensureWorkspace(ctx, tx, sc); err != nil {
			return err
		}
		if err := checkAssignee(ctx, tx, sc, t.AssigneeID); err != nil {
			return err
		}
		pos, err := nextPosition(ctx, tx, sc, t.Status)
		if err != nil {
			return err
		}
		now := store.Now()
		t.ID, t.Position, t.CreatedAt, t.UpdatedAt = store.NewID(), pos, now, now
		if _, err := tx.NewInsert().Model(t).Exec(ctx); err != nil {
			return store.Translate(err)
		}
		return record(ctx, tx, sc, a, entry{VerbTaskCreated, SubjectTask, t.ID, t.Title, VisibilityClient})
	})
	if err != nil {
		return nil, wrapErr(err, "workspace: create task in %s", sc)
	}
	return t, nil
}

// checkAssignee accepts "" or a staff member of the scope's agency.
func checkAssignee(ctx context.Context, db bun.IDB, sc Scope, id string) error {
	if id == "" {
		return nil
	}
	if !store.ValidID(id) {
		return field.New("assignee_id", field.InvalidAssignee)
	}
	n, err := db.NewSelect().Table("staff_users").Where("agency_id = ? AND id = ?", sc.AgencyID, id).Count(ctx)
	if err != nil {
		return fmt.Errorf("assignee %s: %w", id, store.Translate(err))
	}
	if n == 0 {
		return field.New("assignee_id", field.InvalidAssignee)
	}
	return nil
}

// nextPosition is one past the last position of a column.
func nextPosition(ctx context.Context, db bun.IDB, sc Scope, status string) (int64, error) {
	var pos int64
	err := db.NewSelect().Model((*Task)(nil)).ColumnExpr("COALESCE(MAX(position), 0) + 1").
		Where("agency_id = ? AND workspace_id = ? AND status = ?", sc.AgencyID, sc.WorkspaceID, status).Scan(ctx, &pos)
	if err != nil {
		return 0, fmt.Errorf("next position: %w", store.Translate(err))
	}
	return pos, nil
}

// UpdateTask changes a task. A new status without a position puts the task
// at the end of its new column. A change of column is recorded as
// task.moved, other changes as task.updated; a mere reorder within a column
// is not recorded. Client scopes are refused (store.ErrNotFound).
func (s *Store) UpdateTask(ctx context.Context, sc Scope, a Actor, id string, in TaskPatch) (*Task, error) {
	if err := sc.checkStaff(); err != nil {
		return nil, fmt.Errorf("workspace: update task %q: %w", id, err)
	}
	if !store.ValidID(id) {
		return nil, fmt.Errorf("workspace: update task %q: %w", id, store.ErrNotFound)
	}
	var t *Task
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if t, err = taskByID(ctx, tx, sc, id); err != nil {
			return err
		}
		before := *t
		if in.Title != nil {
			if t.Title, err = line("title", *in.Title, true, maxTitle); err != nil {
				return err
			}
		}
		if in.Description != nil {
			if t.Description, err = text("description", *in.Description, false, maxBody); err != nil {
				return err
			}
		}
		if in.Status != nil {
			if t.Status, err = oneOf("status", field.InvalidStatus, *in.Status, TaskStatuses()); err != nil {
				return err
			}
		}
		if in.DueOn != nil {
			if t.DueOn, err = date("due_on", *in.DueOn, false); err != nil {
				return err
			}
		}
		if in.AssigneeID != nil {
			t.AssigneeID = clean(*in.AssigneeID)
			if t.AssigneeID != before.AssigneeID {
				if err := checkAssignee(ctx, tx, sc, t.AssigneeID); err != nil {
					return err
				}
			}
		}
		moved := t.Status != before.Status
		switch {
		case in.Position != nil:
			t.Position = *in.Position
		case moved:
			if t.Position, err = nextPosition(ctx, tx, sc, t.Status); err != nil {
				return err
			}
		}
		t.UpdatedAt = store.Now()
		res, err := tx.NewUpdate().Model(t).
			Column("title", "description", "status", "position", "due_on", "assignee_id", "updated_at").
			Where("agency_id = ? AND workspace_id = ? AND id = ?", sc.AgencyID, sc.WorkspaceID, id).Exec(ctx)
		if err != nil {
			return store.Translate(err)
		}
		if err := affected(res); err != nil {
			return err
		}
		edited := t.Title != before.Title || t.Description != before.Description || t.DueOn != before.DueOn || t.AssigneeID != before.AssigneeID
		if moved {
			if err := record(ctx, tx, sc, a, entry{VerbTaskMoved, SubjectTask, t.ID, t.Title, VisibilityClient}); err != nil {
				return err
			}
		}
		if edited {
			return record(ctx, tx, sc, a, entry{VerbTaskUpdated, SubjectTask, t.ID, t.Title, VisibilityClient})
		}
		return nil
	})
	if err != nil {
		return nil, wrapErr(err, "workspace: update task %s", id)
	}
	return t, nil
}

// DeleteTask removes a task. Client scopes are refused (store.ErrNotFound).
func (s *Store) DeleteTask(ctx context.Context, sc Scope, a Actor, id string) error {
	if err := sc.checkStaff(); err != nil {
		return fmt.Errorf("workspace: delete task %q: %w", id, err)
	}
	if !store.ValidID(id) {
		return fmt.Errorf("workspace: delete task %q: %w", id, store.ErrNotFound)
	}
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		t, err := taskByID(ctx, tx, sc, id)
		if err != nil {
			return err
		}
		res, err := tx.NewDelete().Model((*Task)(nil)).
			Where("agency_id = ? AND workspace_id = ? AND id = ?", sc.AgencyID, sc.WorkspaceID, id).Exec(ctx)
		if err != nil {
			return store.Translate(err)
		}
		if err := affected(res); err != nil {
			return err
		}
		return record(ctx, tx, sc, a, entry{VerbTaskDeleted, SubjectTask, t.ID, t.Title, VisibilityClient})
	})
	if err != nil {
		return fmt.Errorf("workspace: delete task %s: %w", id, err)
	}
	return nil
}
