package agency

import (
	"github.com/gin-gonic/gin"

	"workrate/auth"
)

// logout ends this browser's session on this host and returns to sign-in.
func (h *Handler) logout(c *gin.Context) error {
	if token := auth.SessionToken(c.Request); token != "" {
		if err := h.auth.DeleteSession(c, token); err != nil {
			return err
		}
	}
	auth.ClearSessionCookie(c.Writer, c.Request)
	return redirect(c, "/staff/login")
}
