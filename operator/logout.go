package operator

import (
	"github.com/gin-gonic/gin"

	"workrate/auth"
)

// logout ends the operator's session on this host.
func (h *Handler) logout(c *gin.Context) error {
	if token := auth.SessionToken(c.Request); token != "" {
		if err := h.auth.DeleteSession(c, token); err != nil {
			return err
		}
	}
	auth.ClearSessionCookie(c.Writer, c.Request)
	return redirect(c, "/operator/login")
}
