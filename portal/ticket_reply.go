package portal

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// replyTicket adds the client's public reply to one of its tickets.
func (h *Handler) replyTicket(c *gin.Context) error {
	cl := clientOf(c)
	body := c.PostForm("body")
	cm, err := h.Store.AddComment(c, cl.Scope(), cl.actor(), c.Param("id"), body, false)
	if errs, ok := fieldErrors(c, err); ok {
		return h.renderTicket(c, http.StatusUnprocessableEntity, body, errs)
	}
	if err != nil {
		return err
	}
	c.Redirect(http.StatusSeeOther, "/tickets/"+cm.TicketID+"#reply-"+cm.ID)
	return nil
}
