package portal

import (
	"github.com/gin-gonic/gin"
	"log/slog"

	"workrate/auth"
)

// SaveLanguage remembers a signed-in client's language choice on the account,
// so that it holds at the next sign-in on any device. The server calls it
// from POST /language.
func (h *Handler) SaveLanguage(c *gin.Context, lang string) {
	cl, err := h.loadClient(c)
	if err != nil {
		slog.ErrorContext(c, "portal language: session", "err", err)
		return
	}
	if cl == nil || cl.Preview || cl.Session.Kind != auth.KindClient {
		return
	}
	if err := h.Auth.SetPortalLanguage(c, cl.Account.AgencyID, cl.Account.ID, lang); err != nil {
		slog.ErrorContext(c, "portal language: save", "err", err)
	}
}
