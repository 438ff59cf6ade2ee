package agency

import (
	"github.com/gin-gonic/gin"

	"workrate/locale"
)

// flash returns the localized confirmation named by the ?done= parameter that
// a form's redirect carries, or "". Only known names show anything, so a link
// cannot inject text.
func flash(c *gin.Context, l *locale.Localizer) string {
	switch done := c.Query("done"); done {
	case "saved", "created", "deleted", "password_changed", "revoked", "staff_added", "staff_removed":
		return l.T("staff.flash." + done)
	case "logo_saved", "logo_removed", "branding_reset":
		return l.T("branding.flash." + done)
	}
	return ""
}
