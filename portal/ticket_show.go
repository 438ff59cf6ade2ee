package portal

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"workrate/web"
	"workrate/workspace"
)

// ticketPage is one ticket with its public replies and the reply form.
type ticketPage struct {
	web.Base
	Ticket   *workspace.Ticket
	Comments []workspace.Comment
	Body     string
	Errors   map[string]string
}

// showTicket shows a ticket of the client's workspace; any other id is 404.
func (h *Handler) showTicket(c *gin.Context) error {
	return h.renderTicket(c, http.StatusOK, "", nil)
}

func (h *Handler) renderTicket(c *gin.Context, status int, body string, errs map[string]string) error {
	cl := clientOf(c)
	t, err := h.Store.Ticket(c, cl.Scope(), c.Param("id"))
	if err != nil {
		return err
	}
	cs, err := h.Store.Comments(c, cl.Scope(), t.ID)
	if err != nil {
		return err
	}
	return h.Renderer.HTML(c, status, "portal/ticket", &ticketPage{Base: h.base(c, t.Subject), Ticket: t, Comments: cs, Body: body, Errors: errs})
}
