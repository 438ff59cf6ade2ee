package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"workrate/field"
	"workrate/workspace"
)

// TaskJSON is a task in the API.
type TaskJSON struct {
	ID          string    `json:"id"`
	Title       string    `json:"title"`
	Description string    `json:"description"`
	Status      string    `json:"status"`
	DueOn       string    `json:"due_on"`
	AssigneeID  string    `json:"assignee_id"`
	Position    int64     `json:"position"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// taskBody is a task as sent: status ∈ todo, in_progress, review, done;
// due_on YYYY-MM-DD or ""; assignee_id a staff member's id or "".
type taskBody struct {
	Title       *string `json:"title" api:"required"`
	Description *string `json:"description"`
	Status      *string `json:"status"`
	DueOn       *string `json:"due_on"`
	AssigneeID  *string `json:"assignee_id"`
	Position    *int64  `json:"position"`
}

func taskJSON(t *workspace.Task) TaskJSON {
	return TaskJSON{ID: t.ID, Title: t.Title, Description: t.Description, Status: t.Status, DueOn: t.DueOn,
		AssigneeID: t.AssigneeID, Position: t.Position, CreatedAt: t.CreatedAt.UTC(), UpdatedAt: t.UpdatedAt.UTC()}
}

func (h *Handler) taskAPI() []Route {
	return []Route{
		{Method: http.MethodGet, Path: "/workspaces/:id/tasks", Summary: "The workspace's task board, by status then position",
			Response: TaskJSON{}, List: true, InWorkspace: true, Handle: h.apiListTasks},
		{Method: http.MethodPost, Path: "/workspaces/:id/tasks", Summary: "Add a task (status defaults to todo)",
			Request: taskBody{}, Response: TaskJSON{}, Status: http.StatusCreated, InWorkspace: true, Handle: h.apiCreateTask},
		{Method: http.MethodPatch, Path: "/workspaces/:id/tasks/:task_id", Summary: "Change or move a task",
			Request: taskBody{}, Response: TaskJSON{}, InWorkspace: true, Handle: h.apiPatchTask},
	}
}

func (h *Handler) apiListTasks(c *gin.Context) error {
	limit, cursor, err := listParams(c)
	if err != nil {
		return err
	}
	tasks, err := h.work.Tasks(c, staffScope(c))
	if err != nil {
		return err
	}
	items, next, err := pageOf(tasks, limit, cursor)
	if err != nil {
		return err
	}
	out := make([]TaskJSON, 0, len(items))
	for i := range items {
		out = append(out, taskJSON(&items[i]))
	}
	c.JSON(http.StatusOK, newListPage(out, next))
	return nil
}

func (h *Handler) apiCreateTask(c *gin.Context) error {
	var b taskBody
	if err := decodeJSON(c, &b); err != nil {
		return err
	}
	if b.Title == nil {
		return field.New("title", field.Required)
	}
	if b.Position != nil {
		return fieldErr("position", "can only be set when changing a task")
	}
	in := workspace.TaskInput{Title: *b.Title, Description: deref(b.Description), Status: deref(b.Status),
		DueOn: deref(b.DueOn), AssigneeID: deref(b.AssigneeID)}
	t, err := h.work.CreateTask(c, staffScope(c), actorOf(c), in)
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, taskJSON(t))
	return nil
}

func (h *Handler) apiPatchTask(c *gin.Context) error {
	sc := staffScope(c)
	if _, err := h.work.Task(c, sc, c.Param("task_id")); err != nil {
		return err
	}
	var b taskBody
	if err := decodeJSON(c, &b); err != nil {
		return err
	}
	t, err := h.work.UpdateTask(c, sc, actorOf(c), c.Param("task_id"), workspace.TaskPatch{
		Title: b.Title, Description: b.Description, Status: b.Status, DueOn: b.DueOn, AssigneeID: b.AssigneeID, Position: b.Position,
	})
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, taskJSON(t))
	return nil
}

// deref returns *p, or "" for nil.
func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
