package portal

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"workrate/web"
	"workrate/workspace"
)

// ticketsPage is the list of the client's tickets and the new-request form.
type ticketsPage struct {
	web.Base
	Tickets    []workspace.Ticket
	Next       string
	Priorities []string
	Form       ticketForm
	Errors     map[string]string
}

// ticketForm is what the client typed, kept when the form is refused.
type ticketForm struct {
	Subject  string
	Body     string
	Priority string
}

// showTickets lists the client's tickets, newest first, with their status.
func (h *Handler) showTickets(c *gin.Context) error {
	return h.renderTickets(c, http.StatusOK, ticketForm{Priority: workspace.PriorityNormal}, nil)
}

func (h *Handler) renderTickets(c *gin.Context, status int, form ticketForm, errs map[string]string) error {
	cl := clientOf(c)
	page, err := h.Store.Tickets(c, cl.Scope(), "", workspace.ListOptions{Cursor: c.Query("after")})
	if err != nil {
		return listError(err)
	}
	p := ticketsPage{Tickets: page.Items, Next: page.Next, Priorities: workspace.TicketPriorities(), Form: form, Errors: errs}
	p.Base = h.base(c, web.LocalizerOf(c).T("nav.tickets"))
	return h.Renderer.HTML(c, status, "portal/tickets", &p)
}
