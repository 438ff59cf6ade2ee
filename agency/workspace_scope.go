package agency

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"workrate/field"
	"workrate/locale"
	"workrate/store"
	"workrate/web"
	"workrate/workspace"
)

// loadWorkspace puts the workspace named by :id on the request when it is
// one of the agency's; any other id is the 404 page, never a 403.
func (h *Handler) loadWorkspace(c *gin.Context) {
	ws, err := h.work.Workspace(c, agencyOf(c).ID, c.Param("id"))
	if err != nil {
		if !errors.Is(err, store.ErrNotFound) {
			h.renderer.Fail(c, fmt.Errorf("load workspace: %w", err))
			return
		}
		h.renderer.Error(c, http.StatusNotFound)
		return
	}
	c.Set(wsKey, ws)
	c.Next()
}

// workspaceOf returns the request's workspace (set by loadWorkspace).
func workspaceOf(c *gin.Context) *workspace.Workspace {
	v, _ := c.Get(wsKey)
	ws, _ := v.(*workspace.Workspace)
	return ws
}

// staffScope is the agency team's scope on the request's workspace.
func staffScope(c *gin.Context) workspace.Scope { return workspaceOf(c).StaffScope() }

// actorOf is who acts: the signed-in staff member.
func actorOf(c *gin.Context) workspace.Actor {
	if st := staffOf(c); st != nil {
		return workspace.Actor{Kind: workspace.ActorStaff, ID: st.ID, Name: st.Name}
	}
	return workspace.Actor{Kind: workspace.ActorSystem}
}

// Workspace tabs, for workspaceBase's active tab.
const (
	TabTasks    = "tasks"
	TabMessages = "messages"
	TabTickets  = "tickets"
	TabInvoices = "invoices"
	TabNotes    = "notes"
	TabActivity = "activity"
	TabSettings = "settings"
	TabPortal   = "portal" // the Client Portal section (built in its own files)
)

// workspacePage is the frame every page inside a workspace embeds: the staff
// frame, the workspace, the active tab and whether the viewer may manage
// portal access. Templates start with {{template "staff_workspace_head" .}}.
type workspacePage struct {
	web.Base
	WS      *workspace.Workspace
	Tab     string
	Manager bool
}

// workspaceBase is the frame of a page inside the request's workspace.
func (h *Handler) workspaceBase(c *gin.Context, tab, titleID string) workspacePage {
	st := staffOf(c)
	ws := workspaceOf(c)
	p := workspacePage{Base: h.staffBase(c, SectionWorkspaces, titleID), WS: ws, Tab: tab, Manager: st != nil && st.CanManage()}
	p.Title = p.Title + " · " + ws.Name
	return p
}

// formErrorsOf turns a validation error into a form message next to its
// field; ok is false for any other error (which the caller returns).
func formErrorsOf(l *locale.Localizer, err error) (formErrors, bool) {
	fe := field.As(err)
	if fe == nil {
		return nil, false
	}
	return formErrors{fe.Field: l.FieldMessage(fe)}, true
}
