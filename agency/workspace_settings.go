package agency

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"workrate/workspace"
)

// showWorkspaceHome opens a workspace on its board.
func (h *Handler) showWorkspaceHome(c *gin.Context) error {
	return redirect(c, "/staff/workspaces/"+workspaceOf(c).ID+"/tasks")
}

// workspaceSettingsPage is the data of staff/workspace_settings.
type workspaceSettingsPage struct {
	workspacePage
	Form workspaceForm
}

// showWorkspaceSettings shows the workspace's own fields; the Client Portal
// section lives on its own page (/staff/workspaces/:id/portal), linked here.
func (h *Handler) showWorkspaceSettings(c *gin.Context) error {
	ws := workspaceOf(c)
	f := workspaceForm{Name: ws.Name, ContactEmail: ws.ContactEmail, Errors: formErrors{}}
	return h.render(c, "staff/workspace_settings", &workspaceSettingsPage{workspacePage: h.workspaceBase(c, TabSettings, "staff.ws.settings.title"), Form: f})
}

// updateWorkspace saves the workspace's name and contact email.
func (h *Handler) updateWorkspace(c *gin.Context) error {
	ws := workspaceOf(c)
	f := workspaceForm{Name: c.PostForm("name"), ContactEmail: c.PostForm("contact_email")}
	_, err := h.work.UpdateWorkspace(c, ws.AgencyID, ws.ID, actorOf(c), workspace.WorkspaceInput{Name: f.Name, ContactEmail: f.ContactEmail})
	if errs, ok := formErrorsOf(h.localizer(c), err); ok {
		f.Errors = errs
		return h.renderer.HTML(c, http.StatusUnprocessableEntity, "staff/workspace_settings", &workspaceSettingsPage{workspacePage: h.workspaceBase(c, TabSettings, "staff.ws.settings.title"), Form: f})
	}
	if err != nil {
		return err
	}
	return redirect(c, "/staff/workspaces/"+ws.ID+"/settings?done=saved")
}
