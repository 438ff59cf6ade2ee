package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"workrate/field"
	"workrate/workspace"
)

// WorkspaceJSON is a workspace in the API.
type WorkspaceJSON struct {
	ID           string    `json:"id"`
	Name         string    `json:"name"`
	ContactEmail string    `json:"contact_email"`
	CreatedAt    time.Time `json:"created_at"`
}

// workspaceBody is a workspace as sent; PATCH changes the fields present.
type workspaceBody struct {
	Name         *string `json:"name" api:"required"`
	ContactEmail *string `json:"contact_email"`
}

func workspaceJSON(w *workspace.Workspace) WorkspaceJSON {
	return WorkspaceJSON{ID: w.ID, Name: w.Name, ContactEmail: w.ContactEmail, CreatedAt: w.CreatedAt.UTC()}
}

func (h *Handler) workspaceAPI() []Route {
	return []Route{
		{Method: http.MethodGet, Path: "/workspaces", Summary: "List the agency's workspaces by name (?q= searches names)",
			Response: WorkspaceJSON{}, List: true, Handle: h.apiListWorkspaces},
		{Method: http.MethodPost, Path: "/workspaces", Summary: "Create a workspace",
			Request: workspaceBody{}, Response: WorkspaceJSON{}, Status: http.StatusCreated, Handle: h.apiCreateWorkspace},
		{Method: http.MethodGet, Path: "/workspaces/:id", Summary: "One workspace",
			Response: WorkspaceJSON{}, Handle: h.apiGetWorkspace},
		{Method: http.MethodPatch, Path: "/workspaces/:id", Summary: "Change a workspace's name or contact email",
			Request: workspaceBody{}, Response: WorkspaceJSON{}, Handle: h.apiPatchWorkspace},
	}
}

func (h *Handler) apiListWorkspaces(c *gin.Context) error {
	limit, cursor, err := listParams(c)
	if err != nil {
		return err
	}
	page, err := h.work.Workspaces(c, agencyOf(c).ID, c.Query("q"), workspace.ListOptions{Limit: limit, Cursor: cursor})
	if err != nil {
		return err
	}
	items := make([]WorkspaceJSON, 0, len(page.Items))
	for i := range page.Items {
		items = append(items, workspaceJSON(&page.Items[i]))
	}
	c.JSON(http.StatusOK, newListPage(items, page.Next))
	return nil
}

func (h *Handler) apiCreateWorkspace(c *gin.Context) error {
	var b workspaceBody
	if err := decodeJSON(c, &b); err != nil {
		return err
	}
	if b.Name == nil {
		return field.New("name", field.Required)
	}
	in := workspace.WorkspaceInput{Name: *b.Name}
	if b.ContactEmail != nil {
		in.ContactEmail = *b.ContactEmail
	}
	ws, err := h.work.CreateWorkspace(c, agencyOf(c).ID, actorOf(c), in)
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, workspaceJSON(ws))
	return nil
}

func (h *Handler) apiGetWorkspace(c *gin.Context) error {
	ws, err := h.work.Workspace(c, agencyOf(c).ID, c.Param("id"))
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, workspaceJSON(ws))
	return nil
}

func (h *Handler) apiPatchWorkspace(c *gin.Context) error {
	ws, err := h.work.Workspace(c, agencyOf(c).ID, c.Param("id"))
	if err != nil {
		return err
	}
	var b workspaceBody
	if err := decodeJSON(c, &b); err != nil {
		return err
	}
	in := workspace.WorkspaceInput{Name: ws.Name, ContactEmail: ws.ContactEmail}
	if b.Name != nil {
		in.Name = *b.Name
	}
	if b.ContactEmail != nil {
		in.ContactEmail = *b.ContactEmail
	}
	ws, err = h.work.UpdateWorkspace(c, ws.AgencyID, ws.ID, actorOf(c), in)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, workspaceJSON(ws))
	return nil
}
