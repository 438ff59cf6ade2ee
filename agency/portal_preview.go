package agency

import (
	"github.com/gin-gonic/gin"

	"workrate/store"
)

// startPreview opens the client's portal, read-only, as this client sees it:
// the staff session remembers the workspace, and the portal's pages show it
// with a banner and refuse every write.
func (h *Handler) startPreview(c *gin.Context) error {
	w := workspaceOf(c)
	if _, err := h.access.Account(c, agencyOf(c).ID, w.ID); err != nil {
		return err // no portal account yet: nothing to preview
	}
	sess := sessionOf(c)
	if sess == nil {
		return store.ErrNotFound
	}
	sess.PreviewWorkspaceID = w.ID
	if err := h.auth.UpdateSession(c, sess); err != nil {
		return err
	}
	return redirect(c, "/")
}

// endPreview leaves the preview and returns to the workspace's section.
func (h *Handler) endPreview(c *gin.Context) error {
	sess := sessionOf(c)
	if sess == nil {
		return store.ErrNotFound
	}
	id := sess.PreviewWorkspaceID
	sess.PreviewWorkspaceID = ""
	if err := h.auth.UpdateSession(c, sess); err != nil {
		return err
	}
	if id == "" {
		return redirect(c, "/staff/workspaces")
	}
	return redirect(c, "/staff/workspaces/"+id+"/portal?done=preview_ended")
}
