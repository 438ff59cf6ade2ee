package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"workrate/field"
	"workrate/workspace"
)

// MessageJSON is a post of a workspace's thread in the API.
type MessageJSON struct {
	ID         string    `json:"id"`
	Body       string    `json:"body"`
	AuthorKind string    `json:"author_kind"`
	AuthorName string    `json:"author_name"`
	CreatedAt  time.Time `json:"created_at"`
}

type messageBody struct {
	Body *string `json:"body" api:"required"`
}

func messageJSON(m *workspace.Message) MessageJSON {
	return MessageJSON{ID: m.ID, Body: m.Body, AuthorKind: m.AuthorKind, AuthorName: m.AuthorName, CreatedAt: m.CreatedAt.UTC()}
}

func (h *Handler) messageAPI() []Route {
	return []Route{
		{Method: http.MethodGet, Path: "/workspaces/:id/messages", Summary: "The thread: the newest page first, oldest to newest within a page; next_cursor leads to older posts",
			Response: MessageJSON{}, List: true, InWorkspace: true, Handle: h.apiListMessages},
		{Method: http.MethodPost, Path: "/workspaces/:id/messages", Summary: "Post to the thread (the client sees it)",
			Request: messageBody{}, Response: MessageJSON{}, Status: http.StatusCreated, InWorkspace: true, Handle: h.apiPostMessage},
	}
}

func (h *Handler) apiListMessages(c *gin.Context) error {
	limit, cursor, err := listParams(c)
	if err != nil {
		return err
	}
	page, err := h.work.Messages(c, staffScope(c), workspace.ListOptions{Limit: limit, Cursor: cursor})
	if err != nil {
		return err
	}
	out := make([]MessageJSON, 0, len(page.Items))
	for i := range page.Items {
		out = append(out, messageJSON(&page.Items[i]))
	}
	c.JSON(http.StatusOK, newListPage(out, page.Next))
	return nil
}

func (h *Handler) apiPostMessage(c *gin.Context) error {
	var b messageBody
	if err := decodeJSON(c, &b); err != nil {
		return err
	}
	if b.Body == nil {
		return field.New("body", field.Required)
	}
	m, err := h.work.PostMessage(c, staffScope(c), actorOf(c), *b.Body)
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, messageJSON(m))
	return nil
}
