package agency

import (
	"github.com/gin-gonic/gin"

	"workrate/workspace"
)

// activityLimit is how many timeline entries the page shows.
const activityLimit = 100

// activityPage is the data of staff/ws_activity: the workspace's activity.
type activityPage struct {
	workspacePage
	Items []workspace.Activity
}

// showActivity shows the workspace's timeline, newest first, internal
// entries marked.
func (h *Handler) showActivity(c *gin.Context) error {
	items, err := h.work.Activity(c, staffScope(c), activityLimit)
	if err != nil {
		return err
	}
	if items == nil {
		items = []workspace.Activity{}
	}
	return h.render(c, "staff/ws_activity", &activityPage{workspacePage: h.workspaceBase(c, TabActivity, "staff.activity.title"), Items: items})
}
