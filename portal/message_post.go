package portal

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// postMessage adds the client's reply to the thread.
func (h *Handler) postMessage(c *gin.Context) error {
	cl := clientOf(c)
	body := c.PostForm("body")
	m, err := h.Store.PostMessage(c, cl.Scope(), cl.actor(), body)
	if errs, ok := fieldErrors(c, err); ok {
		return h.renderMessages(c, http.StatusUnprocessableEntity, body, errs)
	}
	if err != nil {
		return err
	}
	c.Redirect(http.StatusSeeOther, "/messages#message-"+m.ID)
	return nil
}
