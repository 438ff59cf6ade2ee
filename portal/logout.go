package portal

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"workrate/auth"
)

// logout ends the session of this browser and returns to the sign-in page.
func (h *Handler) logout(c *gin.Context) error {
	if tok := auth.SessionToken(c.Request); tok != "" {
		if err := h.Auth.DeleteSession(c, tok); err != nil {
			return err
		}
	}
	auth.ClearSessionCookie(c.Writer, c.Request)
	c.Redirect(http.StatusSeeOther, "/login")
	return nil
}
