package portal

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"workrate/web"
	"workrate/workspace"
)

// emptyPage says nothing is shared yet: the frame alone.
type emptyPage struct {
	web.Base
}

// showHome is the portal's first page: the dashboard when enabled, else the
// first enabled tool, else a page saying nothing is shared yet.
func (h *Handler) showHome(c *gin.Context) error {
	cl := clientOf(c)
	if cl.Has(workspace.ToolDashboard) {
		return h.showDashboard(c)
	}
	if tools := cl.Tools(); len(tools) > 0 {
		c.Redirect(http.StatusSeeOther, toolPath(tools[0]))
		return nil
	}
	return h.Renderer.HTML(c, http.StatusOK, "portal/empty", &emptyPage{Base: h.base(c, web.LocalizerOf(c).T("portal.empty.title"))})
}
