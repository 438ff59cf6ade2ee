package agency

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"workrate/auth"
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

// apiLoadWorkspace is loadWorkspace for the API: 404 in the error envelope.
func (h *Handler) apiLoadWorkspace(c *gin.Context) {
	ws, err := h.work.Workspace(c, agencyOf(c).ID, c.Param("id"))
	if err != nil {
		h.apiFail(c, err)
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

// actorOf is who acts: the signed-in staff member, or the API key.
func actorOf(c *gin.Context) workspace.Actor {
	if st := staffOf(c); st != nil {
		return workspace.Actor{Kind: workspace.ActorStaff, ID: st.ID, Name: st.Name}
	}
	if v, ok := c.Get(apiKeyKey); ok {
		if k, ok := v.(*auth.APIKey); ok {
			return workspace.Actor{Kind: workspace.ActorAPI, ID: k.ID, Name: k.Name}
		}
	}
	return workspace.Actor{Kind: workspace.ActorSystem}
}

// Workspace tabs, for workspaceView's active tab.
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

// WorkspacePage is the Data of every page inside a workspace: the workspace,
// the active tab, whether the viewer may manage portal access, and the
// page's own data in Page. Templates start with
// {{template "staff_workspace_head" .}}.
type WorkspacePage struct {
	WS      *workspace.Workspace
	Tab     string
	Manager bool
	Page    any
}

// workspaceView starts the View of a page inside the request's workspace.
func (h *Handler) workspaceView(c *gin.Context, tab, titleID string, page any) web.View {
	st := staffOf(c)
	ws := workspaceOf(c)
	v := h.staffView(c, SectionWorkspaces, titleID, WorkspacePage{WS: ws, Tab: tab, Manager: st != nil && st.CanManage(), Page: page})
	v.Title = v.Title + " · " + ws.Name
	return v
}

// fieldMessage localizes a validation error of the workspace store.
func fieldMessage(l *locale.Localizer, fe *workspace.FieldError) string {
	return l.T("staff."+fe.Code, "Limit", fe.Limit)
}

// formErrorsOf turns a validation error into a form message next to its
// field; ok is false for any other error (which the caller returns).
func formErrorsOf(l *locale.Localizer, err error) (formErrors, bool) {
	var fe *workspace.FieldError
	if !errors.As(err, &fe) {
		return nil, false
	}
	return formErrors{fe.Field: fieldMessage(l, fe)}, true
}

// apiFieldError maps validation errors of the data packages to a 422 (an
// unknown cursor to 400); nil when err is none of them.
func apiFieldError(err error) *APIError {
	var fe *workspace.FieldError
	if !errors.As(err, &fe) {
		return nil
	}
	if fe.Code == workspace.CodeInvalidCursor {
		return apiErr(http.StatusBadRequest, "invalid_cursor", "the cursor is not one this API gave")
	}
	return fieldErr(fe.Field, "%s", apiFieldText(fe))
}

// apiFieldText explains a validation code to an API user.
func apiFieldText(fe *workspace.FieldError) string {
	switch fe.Code {
	case workspace.CodeRequired:
		return "is required"
	case workspace.CodeTooLong:
		return "is longer than the limit of " + itoa64(fe.Limit) + " characters"
	case workspace.CodeInvalidStatus:
		return "is not one of the statuses allowed here"
	case workspace.CodeInvalidPriority:
		return "must be one of low, normal, high, urgent"
	case workspace.CodeInvalidDate:
		return "must be a real date written YYYY-MM-DD"
	case workspace.CodeDueBeforeIssue:
		return "must not be before issued_on"
	case workspace.CodeInvalidCurrency:
		return "must be a three-letter ISO 4217 code such as EUR"
	case workspace.CodeInvalidQuantity:
		return "must be greater than 0 and at most " + itoa64(fe.Limit)
	case workspace.CodeTooManyDecimals:
		return "has more than 3 decimals"
	case workspace.CodeNegative:
		return "must not be negative"
	case workspace.CodeTooLarge:
		return "is larger than " + itoa64(fe.Limit)
	case workspace.CodeNoLines:
		return "needs at least one line"
	case workspace.CodeTooManyLines:
		return "has more than " + itoa64(fe.Limit) + " lines"
	case workspace.CodeInvalidEmail:
		return "is not a valid email address"
	case workspace.CodeInvalidAssignee:
		return "is not a staff member of this agency"
	}
	return "is not valid (" + strings.TrimPrefix(fe.Code, "validation.") + ")"
}
