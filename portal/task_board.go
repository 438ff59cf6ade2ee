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

// showTasks shows the workspace's board: columns and cards, nothing that edits.
func (h *Handler) showTasks(c *gin.Context) error {
	cl := clientOf(c)
	tasks, err := h.Store.Tasks(c, cl.Scope())
	if err != nil {
		return err
	}
	var cols []boardColumn
	for _, st := range workspace.TaskStatuses() {
		col := boardColumn{Status: st}
		for _, t := range tasks {
			if t.Status == st {
				col.Tasks = append(col.Tasks, t)
			}
		}
		cols = append(cols, col)
	}
	return h.render(c, http.StatusOK, "portal/tasks", web.LocalizerOf(c).T("nav.tasks"), cols)
}
