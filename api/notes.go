package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"workrate/field"
	"workrate/workspace"
)

// NoteJSON is a CRM note in the API; agency_only notes never reach the client.
type NoteJSON struct {
	ID         string    `json:"id"`
	Body       string    `json:"body"`
	AgencyOnly bool      `json:"agency_only"`
	AuthorName string    `json:"author_name"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// noteBody adds a note; agency_only defaults to true.
type noteBody struct {
	Body       *string `json:"body" api:"required"`
	AgencyOnly *bool   `json:"agency_only"`
}

func noteJSON(n *workspace.Note) NoteJSON {
	return NoteJSON{ID: n.ID, Body: n.Body, AgencyOnly: n.AgencyOnly, AuthorName: n.AuthorName, CreatedAt: n.CreatedAt.UTC(), UpdatedAt: n.UpdatedAt.UTC()}
}

func (h *Handler) noteAPI() []Route {
	return []Route{
		{Method: http.MethodGet, Path: "/workspaces/:id/notes", Summary: "The workspace's CRM notes, newest first",
			Response: NoteJSON{}, List: true, InWorkspace: true, Handle: h.apiListNotes},
		{Method: http.MethodPost, Path: "/workspaces/:id/notes", Summary: "Add a CRM note (agency_only defaults to true)",
			Request: noteBody{}, Response: NoteJSON{}, Status: http.StatusCreated, InWorkspace: true, Handle: h.apiCreateNote},
	}
}

func (h *Handler) apiListNotes(c *gin.Context) error {
	limit, cursor, err := listParams(c)
	if err != nil {
		return err
	}
	notes, err := h.work.Notes(c, staffScope(c))
	if err != nil {
		return err
	}
	items, next, err := pageOf(notes, limit, cursor)
	if err != nil {
		return err
	}
	out := make([]NoteJSON, 0, len(items))
	for i := range items {
		out = append(out, noteJSON(&items[i]))
	}
	c.JSON(http.StatusOK, newListPage(out, next))
	return nil
}

func (h *Handler) apiCreateNote(c *gin.Context) error {
	var b noteBody
	if err := decodeJSON(c, &b); err != nil {
		return err
	}
	if b.Body == nil {
		return field.New("body", field.Required)
	}
	n, err := h.work.CreateNote(c, staffScope(c), actorOf(c), *b.Body, b.AgencyOnly == nil || *b.AgencyOnly)
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, noteJSON(n))
	return nil
}
