package portal

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"workrate/workspace"
)

// createTicket submits a new support request from the client.
func (h *Handler) createTicket(c *gin.Context) error {
	cl := clientOf(c)
	form := ticketForm{Subject: c.PostForm("subject"), Body: c.PostForm("body"), Priority: c.PostForm("priority")}
	if form.Priority == "" {
		form.Priority = workspace.PriorityNormal
	}
	t, err := h.Store.CreateTicket(c, cl.Scope(), cl.actor(), workspace.TicketInput{Subject: form.Subject, Body: form.Body, Priority: form.Priority})
	if errs, ok := fieldErrors(c, err); ok {
		return h.renderTickets(c, http.StatusUnprocessableEntity, form, errs)
	}
	if err != nil {
		return err
	}
	c.Redirect(http.StatusSeeOther, "/tickets/"+t.ID)
	return nil
}
