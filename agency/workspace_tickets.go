package agency

import (
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"workrate/workspace"
)

// ticketsPage is the data of staff/ws_tickets: one page of tickets of a status.
type ticketsPage struct {
	workspacePage
	Status   string // "" for all
	Statuses []string
	Tickets  []workspace.Ticket
	NextURL  string
	FirstURL string
}

// ticketForm is the new-ticket form.
type ticketForm struct {
	Subject    string
	Body       string
	Priority   string
	Priorities []string
	Errors     formErrors
}

// ticketPage is the data of staff/ws_ticket: a ticket and its comments.
type ticketPage struct {
	workspacePage
	Ticket     *workspace.Ticket
	Comments   []workspace.Comment
	Statuses   []string
	Priorities []string
	Comment    string
	Internal   bool
	Errors     formErrors
}

// showTickets lists the workspace's tickets, filtered by ?status=.
func (h *Handler) showTickets(c *gin.Context) error {
	ws := workspaceOf(c)
	status, cursor := c.Query("status"), c.Query("cursor")
	if !contains(workspace.TicketStatuses(), status) {
		status = ""
	}
	page, err := h.work.Tickets(c, staffScope(c), status, workspace.ListOptions{Limit: staffPageSize, Cursor: cursor})
	if _, bad := formErrorsOf(h.localizer(c), err); bad {
		cursor = ""
		page, err = h.work.Tickets(c, staffScope(c), status, workspace.ListOptions{Limit: staffPageSize})
	}
	if err != nil {
		return err
	}
	p := ticketsPage{Status: status, Statuses: workspace.TicketStatuses(), Tickets: page.Items}
	base := "/staff/workspaces/" + ws.ID + "/tickets?"
	if page.Next != "" {
		p.NextURL = base + url.Values{"status": {status}, "cursor": {page.Next}}.Encode()
	}
	if cursor != "" {
		p.FirstURL = base + url.Values{"status": {status}}.Encode()
	}
	p.workspacePage = h.workspaceBase(c, TabTickets, "staff.tickets.title")
	return h.render(c, "staff/ws_tickets", &p)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// ticketNewPage is the data of staff/ws_ticket_new: the new ticket's form.
type ticketNewPage struct {
	workspacePage
	Form ticketForm
}

// showNewTicket shows the form to open a ticket.
func (h *Handler) showNewTicket(c *gin.Context) error {
	f := ticketForm{Priority: workspace.PriorityNormal, Priorities: workspace.TicketPriorities(), Errors: formErrors{}}
	return h.render(c, "staff/ws_ticket_new", &ticketNewPage{workspacePage: h.workspaceBase(c, TabTickets, "staff.tickets.new"), Form: f})
}

// createTicket opens a ticket with the next number of the workspace.
func (h *Handler) createTicket(c *gin.Context) error {
	f := ticketForm{Subject: c.PostForm("subject"), Body: c.PostForm("body"), Priority: c.PostForm("priority"), Priorities: workspace.TicketPriorities()}
	t, err := h.work.CreateTicket(c, staffScope(c), actorOf(c), workspace.TicketInput{Subject: f.Subject, Body: f.Body, Priority: f.Priority})
	if errs, ok := formErrorsOf(h.localizer(c), err); ok {
		f.Errors = errs
		return h.renderer.HTML(c, http.StatusUnprocessableEntity, "staff/ws_ticket_new", &ticketNewPage{workspacePage: h.workspaceBase(c, TabTickets, "staff.tickets.new"), Form: f})
	}
	if err != nil {
		return err
	}
	return redirect(c, "/staff/workspaces/"+workspaceOf(c).ID+"/tickets/"+t.ID+"?done=created")
}

func (h *Handler) renderTicket(c *gin.Context, status int, p ticketPage) error {
	sc := staffScope(c)
	t, err := h.work.Ticket(c, sc, c.Param("ticket_id"))
	if err != nil {
		return err
	}
	cs, err := h.work.Comments(c, sc, t.ID)
	if err != nil {
		return err
	}
	p.Ticket, p.Comments = t, cs
	p.Statuses, p.Priorities = workspace.TicketStatuses(), workspace.TicketPriorities()
	if p.Errors == nil {
		p.Errors = formErrors{}
	}
	p.workspacePage = h.workspaceBase(c, TabTickets, "staff.tickets.title")
	p.Title = "#" + itoa64(int64(t.Number)) + " " + t.Subject + " · " + workspaceOf(c).Name
	return h.renderer.HTML(c, status, "staff/ws_ticket", &p)
}

// showTicket shows a ticket, its comments and the forms to act on it.
func (h *Handler) showTicket(c *gin.Context) error {
	return h.renderTicket(c, http.StatusOK, ticketPage{})
}

// updateTicket changes a ticket's status and priority.
func (h *Handler) updateTicket(c *gin.Context) error {
	sc := staffScope(c)
	if _, err := h.work.Ticket(c, sc, c.Param("ticket_id")); err != nil {
		return err
	}
	status, priority := c.PostForm("status"), c.PostForm("priority")
	_, err := h.work.UpdateTicket(c, sc, actorOf(c), c.Param("ticket_id"), workspace.TicketPatch{Status: &status, Priority: &priority})
	if errs, ok := formErrorsOf(h.localizer(c), err); ok {
		return h.renderTicket(c, http.StatusUnprocessableEntity, ticketPage{Errors: errs})
	}
	if err != nil {
		return err
	}
	return redirect(c, "/staff/workspaces/"+workspaceOf(c).ID+"/tickets/"+c.Param("ticket_id")+"?done=saved")
}

// addComment adds a comment; "Internal (team only)" keeps it from the client.
func (h *Handler) addComment(c *gin.Context) error {
	sc := staffScope(c)
	if _, err := h.work.Ticket(c, sc, c.Param("ticket_id")); err != nil {
		return err
	}
	body, internal := c.PostForm("body"), c.PostForm("internal") != ""
	_, err := h.work.AddComment(c, sc, actorOf(c), c.Param("ticket_id"), body, internal)
	if errs, ok := formErrorsOf(h.localizer(c), err); ok {
		return h.renderTicket(c, http.StatusUnprocessableEntity, ticketPage{Comment: body, Internal: internal, Errors: errs})
	}
	if err != nil {
		return err
	}
	return redirect(c, "/staff/workspaces/"+workspaceOf(c).ID+"/tickets/"+c.Param("ticket_id")+"#comments")
}
