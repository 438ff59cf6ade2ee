package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"workrate/field"
	"workrate/workspace"
)

// TicketJSON is a ticket in the API; number counts per workspace.
type TicketJSON struct {
	ID         string    `json:"id"`
	Number     int       `json:"number"`
	Subject    string    `json:"subject"`
	Body       string    `json:"body"`
	Status     string    `json:"status"`
	Priority   string    `json:"priority"`
	FromClient bool      `json:"from_client"`
	AuthorName string    `json:"author_name"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// TicketDetailJSON is one ticket with its comments, oldest first.
type TicketDetailJSON struct {
	TicketJSON
	Comments []CommentJSON `json:"comments"`
}

// CommentJSON is a ticket comment; internal ones are for the team only.
type CommentJSON struct {
	ID         string    `json:"id"`
	TicketID   string    `json:"ticket_id"`
	Body       string    `json:"body"`
	Internal   bool      `json:"internal"`
	AuthorKind string    `json:"author_kind"`
	AuthorName string    `json:"author_name"`
	CreatedAt  time.Time `json:"created_at"`
}

// ticketBody opens a ticket: priority ∈ low, normal, high, urgent (default normal).
type ticketBody struct {
	Subject  *string `json:"subject" api:"required"`
	Body     *string `json:"body"`
	Priority *string `json:"priority"`
}

// ticketPatch changes a ticket: status ∈ open, in_progress, waiting, resolved, closed.
type ticketPatch struct {
	Status   *string `json:"status"`
	Priority *string `json:"priority"`
}

// commentBody adds a comment; internal defaults to false (the client sees it).
type commentBody struct {
	Body     *string `json:"body" api:"required"`
	Internal *bool   `json:"internal"`
}

func ticketJSON(t *workspace.Ticket) TicketJSON {
	return TicketJSON{ID: t.ID, Number: t.Number, Subject: t.Subject, Body: t.Body, Status: t.Status, Priority: t.Priority,
		FromClient: t.FromClient, AuthorName: t.AuthorName, CreatedAt: t.CreatedAt.UTC(), UpdatedAt: t.UpdatedAt.UTC()}
}

func commentJSON(cm *workspace.Comment) CommentJSON {
	return CommentJSON{ID: cm.ID, TicketID: cm.TicketID, Body: cm.Body, Internal: cm.Internal, AuthorKind: cm.AuthorKind,
		AuthorName: cm.AuthorName, CreatedAt: cm.CreatedAt.UTC()}
}

func (h *Handler) ticketAPI() []Route {
	return []Route{
		{Method: http.MethodGet, Path: "/workspaces/:id/tickets", Summary: "The workspace's tickets, newest first (?status= filters)",
			Response: TicketJSON{}, List: true, InWorkspace: true, Handle: h.apiListTickets},
		{Method: http.MethodPost, Path: "/workspaces/:id/tickets", Summary: "Open a ticket",
			Request: ticketBody{}, Response: TicketJSON{}, Status: http.StatusCreated, InWorkspace: true, Handle: h.apiCreateTicket},
		{Method: http.MethodGet, Path: "/workspaces/:id/tickets/:ticket_id", Summary: "One ticket with its comments",
			Response: TicketDetailJSON{}, InWorkspace: true, Handle: h.apiGetTicket},
		{Method: http.MethodPatch, Path: "/workspaces/:id/tickets/:ticket_id", Summary: "Change a ticket's status or priority",
			Request: ticketPatch{}, Response: TicketJSON{}, InWorkspace: true, Handle: h.apiPatchTicket},
		{Method: http.MethodPost, Path: "/workspaces/:id/tickets/:ticket_id/comments", Summary: "Comment on a ticket (internal: team only)",
			Request: commentBody{}, Response: CommentJSON{}, Status: http.StatusCreated, InWorkspace: true, Handle: h.apiAddComment},
	}
}

func (h *Handler) apiListTickets(c *gin.Context) error {
	limit, cursor, err := listParams(c)
	if err != nil {
		return err
	}
	page, err := h.work.Tickets(c, staffScope(c), c.Query("status"), workspace.ListOptions{Limit: limit, Cursor: cursor})
	if err != nil {
		return err
	}
	out := make([]TicketJSON, 0, len(page.Items))
	for i := range page.Items {
		out = append(out, ticketJSON(&page.Items[i]))
	}
	c.JSON(http.StatusOK, newListPage(out, page.Next))
	return nil
}

func (h *Handler) apiCreateTicket(c *gin.Context) error {
	var b ticketBody
	if err := decodeJSON(c, &b); err != nil {
		return err
	}
	if b.Subject == nil {
		return field.New("subject", field.Required)
	}
	t, err := h.work.CreateTicket(c, staffScope(c), actorOf(c), workspace.TicketInput{Subject: *b.Subject, Body: deref(b.Body), Priority: deref(b.Priority)})
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, ticketJSON(t))
	return nil
}

func (h *Handler) apiGetTicket(c *gin.Context) error {
	sc := staffScope(c)
	t, err := h.work.Ticket(c, sc, c.Param("ticket_id"))
	if err != nil {
		return err
	}
	cs, err := h.work.Comments(c, sc, t.ID)
	if err != nil {
		return err
	}
	out := TicketDetailJSON{TicketJSON: ticketJSON(t), Comments: make([]CommentJSON, 0, len(cs))}
	for i := range cs {
		out.Comments = append(out.Comments, commentJSON(&cs[i]))
	}
	c.JSON(http.StatusOK, out)
	return nil
}

func (h *Handler) apiPatchTicket(c *gin.Context) error {
	sc := staffScope(c)
	if _, err := h.work.Ticket(c, sc, c.Param("ticket_id")); err != nil {
		return err
	}
	var b ticketPatch
	if err := decodeJSON(c, &b); err != nil {
		return err
	}
	t, err := h.work.UpdateTicket(c, sc, actorOf(c), c.Param("ticket_id"), workspace.TicketPatch{Status: b.Status, Priority: b.Priority})
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, ticketJSON(t))
	return nil
}

func (h *Handler) apiAddComment(c *gin.Context) error {
	sc := staffScope(c)
	if _, err := h.work.Ticket(c, sc, c.Param("ticket_id")); err != nil {
		return err
	}
	var b commentBody
	if err := decodeJSON(c, &b); err != nil {
		return err
	}
	if b.Body == nil {
		return field.New("body", field.Required)
	}
	cm, err := h.work.AddComment(c, sc, actorOf(c), c.Param("ticket_id"), *b.Body, b.Internal != nil && *b.Internal)
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, commentJSON(cm))
	return nil
}
