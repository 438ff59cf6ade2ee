package agency

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// showPortalAccess shows a workspace's Client Portal section: the form, the
// account's state, recent sign-in attempts and the audit of access changes.
func (h *Handler) showPortalAccess(c *gin.Context) error {
	w := workspaceOf(c)
	p, err := h.portalPage(c, w, nil)
	if err != nil {
		return err
	}
	return h.renderPortalAccess(c, http.StatusOK, p, flashID(c))
}

// flashID names the confirmation a redirect to the section carries.
func flashID(c *gin.Context) string {
	switch c.Query("done") {
	case "preview_ended":
		return "access.flash.preview_ended"
	}
	return ""
}
