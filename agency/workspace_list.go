package agency

import (
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"workrate/web"
	"workrate/workspace"
)

// workspacesPage is the data of staff/workspaces: one page of the agency's
// client workspaces, optionally searched by name.
type workspacesPage struct {
	web.Base
	Query    string
	Items    []workspace.Workspace
	NextURL  string // the next page, "" on the last
	FirstURL string // back to the first page, "" on it
	Total    int    // workspaces in the agency, for the empty state
}

// workspaceForm is a workspace's form: as typed, with messages.
type workspaceForm struct {
	Name         string
	ContactEmail string
	Errors       formErrors
}

// staffPageSize is how many rows the back office lists per page.
const staffPageSize = 25

// showWorkspaces lists the agency's workspaces with search and pagination.
func (h *Handler) showWorkspaces(c *gin.Context) error {
	q := c.Query("q")
	cursor := c.Query("cursor")
	page, err := h.work.Workspaces(c, agencyOf(c).ID, q, workspace.ListOptions{Limit: staffPageSize, Cursor: cursor})
	if _, bad := formErrorsOf(h.localizer(c), err); bad {
		// A cursor this list did not make: start again from the first page.
		cursor = ""
		page, err = h.work.Workspaces(c, agencyOf(c).ID, q, workspace.ListOptions{Limit: staffPageSize})
	}
	if err != nil {
		return err
	}
	total, err := h.work.CountWorkspaces(c, agencyOf(c).ID)
	if err != nil {
		return err
	}
	p := workspacesPage{Query: q, Items: page.Items, Total: total}
	if page.Next != "" {
		p.NextURL = "/staff/workspaces?" + url.Values{"q": {q}, "cursor": {page.Next}}.Encode()
	}
	if cursor != "" {
		p.FirstURL = "/staff/workspaces?" + url.Values{"q": {q}}.Encode()
	}
	p.Base = h.staffBase(c, SectionWorkspaces, "staff.workspaces.title")
	return h.render(c, "staff/workspaces", &p)
}

// workspaceNewPage is the data of staff/workspace_new.
type workspaceNewPage struct {
	web.Base
	Form workspaceForm
}

// showNewWorkspace shows the form to create a workspace.
func (h *Handler) showNewWorkspace(c *gin.Context) error {
	return h.render(c, "staff/workspace_new", &workspaceNewPage{Base: h.staffBase(c, SectionWorkspaces, "staff.workspaces.new"), Form: workspaceForm{Errors: formErrors{}}})
}

// createWorkspace creates a workspace and opens it.
func (h *Handler) createWorkspace(c *gin.Context) error {
	f := workspaceForm{Name: c.PostForm("name"), ContactEmail: c.PostForm("contact_email")}
	ws, err := h.work.CreateWorkspace(c, agencyOf(c).ID, actorOf(c), workspace.WorkspaceInput{Name: f.Name, ContactEmail: f.ContactEmail})
	if errs, ok := formErrorsOf(h.localizer(c), err); ok {
		f.Errors = errs
		return h.renderer.HTML(c, http.StatusUnprocessableEntity, "staff/workspace_new", &workspaceNewPage{Base: h.staffBase(c, SectionWorkspaces, "staff.workspaces.new"), Form: f})
	}
	if err != nil {
		return err
	}
	return redirect(c, "/staff/workspaces/"+ws.ID+"/tasks?done=created")
}
