package portal

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"workrate/web"
	"workrate/workspace"
)

// boardColumn is one status column of the read-only task board.
type boardColumn struct {
	Status string
	Tasks  []workspace.Task
}

// tasksPage is the read-only task board, one column per status.
type tasksPage struct {
	web.Base
	Columns []boardColumn
}

// showTasks shows the workspace's board: columns and cards, nothing that edits.
func (h *Handler) showTasks(c *gin.Context) error {
	cl := clientOf(c)
	tasks, err := h.Store.Tasks(c, cl.Scope())
	if err != nil {
		return err
	}
	p := tasksPage{Base: h.base(c, web.LocalizerOf(c).T("nav.tasks"))}
	for _, st := range workspace.TaskStatuses() {
		col := boardColumn{Status: st}
		for _, t := range tasks {
			if t.Status == st {
				col.Tasks = append(col.Tasks, t)
			}
		}
		p.Columns = append(p.Columns, col)
	}
	return h.Renderer.HTML(c, http.StatusOK, "portal/tasks", &p)
}
