package portal

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"workrate/access"
	"workrate/web"
)

// showHome is the portal's first page: the dashboard when enabled, else the
// first enabled tool, else a page saying nothing is shared yet.
func (h *Handler) showHome(c *gin.Context) error {
	cl := clientOf(c)
	if cl.Account.HasTool(access.ToolDashboard) {
		return h.showDashboard(c)
	}
	for _, t := range access.AllTools() {
		if cl.Account.HasTool(t) {
			c.Redirect(http.StatusSeeOther, toolPath(t))
			return nil
		}
	}
	return h.render(c, http.StatusOK, "portal/empty", web.LocalizerOf(c).T("portal.empty.title"), nil)
}

// showDashboard is completed with the workspace data.
func (h *Handler) showDashboard(c *gin.Context) error {
	return h.render(c, http.StatusOK, "portal/empty", web.LocalizerOf(c).T("nav.dashboard"), nil)
}
