package agency

import (
	"errors"
	"log/slog"

	"github.com/gin-gonic/gin"

	"workrate/store"
)

// SaveLanguage remembers a signed-in staff member's language choice on the
// account, so that it holds at the next sign-in on any device. The server
// calls it from POST /language; without a staff session it does nothing.
func (h *Handler) SaveLanguage(c *gin.Context, lang string) {
	st, _, err := h.loadStaff(c)
	if err != nil {
		if !errors.Is(err, store.ErrNotFound) {
			slog.ErrorContext(c, "staff language: session", "err", err)
		}
		return
	}
	if err := h.auth.SetStaffLanguage(c, st.AgencyID, st.ID, lang); err != nil {
		slog.ErrorContext(c, "staff language: save", "err", err)
	}
}
