package agency

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"workrate/auth"
	"workrate/store"
	"workrate/workspace"
)

// taskForm is a task's form: as typed, with messages.
type taskForm struct {
	ID          string
	Title       string
	Description string
	Status      string
	DueOn       string
	AssigneeID  string
	Errors      formErrors
}

// boardColumn is one column of the board.
type boardColumn struct {
	Status string
	Cards  []taskCard
}

// taskCard is a task as the board shows it.
type taskCard struct {
	workspace.Task
	AssigneeName string
}

// boardPage is the data of staff/ws_tasks.
type boardPage struct {
	workspacePage
	Columns  []boardColumn
	Statuses []string
	Staff    []auth.Staff
	New      taskForm
}

// taskPage is the data of staff/ws_task: one task's edit form.
type taskPage struct {
	workspacePage
	Form     taskForm
	Statuses []string
	Staff    []auth.Staff
}

func (h *Handler) renderBoard(c *gin.Context, status int, form taskForm) error {
	tasks, err := h.work.Tasks(c, staffScope(c))
	if err != nil {
		return err
	}
	staff, err := h.auth.StaffList(c, agencyOf(c).ID)
	if err != nil {
		return err
	}
	names := map[string]string{}
	for _, s := range staff {
		names[s.ID] = s.Name
	}
	p := boardPage{Statuses: workspace.TaskStatuses(), Staff: staff, New: form}
	for _, st := range p.Statuses {
		col := boardColumn{Status: st}
		for _, t := range tasks {
			if t.Status == st {
				col.Cards = append(col.Cards, taskCard{Task: t, AssigneeName: names[t.AssigneeID]})
			}
		}
		p.Columns = append(p.Columns, col)
	}
	if p.New.Status == "" {
		p.New.Status = workspace.TaskTodo
	}
	if p.New.Errors == nil {
		p.New.Errors = formErrors{}
	}
	p.workspacePage = h.workspaceBase(c, TabTasks, "staff.tasks.title")
	return h.renderer.HTML(c, status, "staff/ws_tasks", &p)
}

// showBoard shows the workspace's task board.
func (h *Handler) showBoard(c *gin.Context) error { return h.renderBoard(c, http.StatusOK, taskForm{}) }

func taskFormOf(c *gin.Context) taskForm {
	return taskForm{ID: c.Param("task_id"), Title: c.PostForm("title"), Description: c.PostForm("description"),
		Status: c.PostForm("status"), DueOn: c.PostForm("due_on"), AssigneeID: c.PostForm("assignee_id")}
}

// createTask adds a card to the board.
func (h *Handler) createTask(c *gin.Context) error {
	f := taskFormOf(c)
	_, err := h.work.CreateTask(c, staffScope(c), actorOf(c), workspace.TaskInput{Title: f.Title, Description: f.Description,
		Status: f.Status, DueOn: f.DueOn, AssigneeID: f.AssigneeID})
	if errs, ok := formErrorsOf(h.localizer(c), err); ok {
		f.Errors = errs
		return h.renderBoard(c, http.StatusUnprocessableEntity, f)
	}
	if err != nil {
		return err
	}
	return redirect(c, "/staff/workspaces/"+workspaceOf(c).ID+"/tasks?done=created")
}

func (h *Handler) renderTask(c *gin.Context, status int, f taskForm) error {
	staff, err := h.auth.StaffList(c, agencyOf(c).ID)
	if err != nil {
		return err
	}
	if f.Errors == nil {
		f.Errors = formErrors{}
	}
	p := &taskPage{workspacePage: h.workspaceBase(c, TabTasks, "staff.tasks.edit"), Form: f, Statuses: workspace.TaskStatuses(), Staff: staff}
	return h.renderer.HTML(c, status, "staff/ws_task", p)
}

// showTask shows one task's edit form.
func (h *Handler) showTask(c *gin.Context) error {
	t, err := h.work.Task(c, staffScope(c), c.Param("task_id"))
	if err != nil {
		return err
	}
	return h.renderTask(c, http.StatusOK, taskForm{ID: t.ID, Title: t.Title, Description: t.Description, Status: t.Status,
		DueOn: t.DueOn, AssigneeID: t.AssigneeID})
}

// updateTask saves a task's edit form.
func (h *Handler) updateTask(c *gin.Context) error {
	if _, err := h.work.Task(c, staffScope(c), c.Param("task_id")); err != nil {
		return err
	}
	f := taskFormOf(c)
	_, err := h.work.UpdateTask(c, staffScope(c), actorOf(c), f.ID, workspace.TaskPatch{Title: &f.Title, Description: &f.Description,
		Status: &f.Status, DueOn: &f.DueOn, AssigneeID: &f.AssigneeID})
	if errs, ok := formErrorsOf(h.localizer(c), err); ok {
		f.Errors = errs
		return h.renderTask(c, http.StatusUnprocessableEntity, f)
	}
	if err != nil {
		return err
	}
	return redirect(c, "/staff/workspaces/"+workspaceOf(c).ID+"/tasks?done=saved")
}

// moveTask moves a card to another column (at its end).
func (h *Handler) moveTask(c *gin.Context) error {
	status := c.PostForm("status")
	_, err := h.work.UpdateTask(c, staffScope(c), actorOf(c), c.Param("task_id"), workspace.TaskPatch{Status: &status})
	if _, ok := formErrorsOf(h.localizer(c), err); ok {
		return h.renderBoard(c, http.StatusUnprocessableEntity, taskForm{Errors: formErrors{"form": h.localizer(c).T("field.invalid_status")}})
	}
	if err != nil {
		return err
	}
	return redirect(c, "/staff/workspaces/"+workspaceOf(c).ID+"/tasks")
}

// deleteTask removes a card.
func (h *Handler) deleteTask(c *gin.Context) error {
	id := c.Param("task_id")
	if !store.ValidID(id) {
		return store.ErrNotFound
	}
	if err := h.work.DeleteTask(c, staffScope(c), actorOf(c), id); err != nil {
		return err
	}
	return redirect(c, "/staff/workspaces/"+workspaceOf(c).ID+"/tasks?done=deleted")
}
