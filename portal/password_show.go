package portal

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"workrate/auth"
	"workrate/web"
)

// passwordPage is the data of the password page: the first-login change of
// the temporary password, or a later change of the client's own.
type passwordPage struct {
	web.Base
	First     bool
	MinLength int
	Errors    map[string]string
	TwoFactor bool // the client may set up two-factor sign-in
}

// showPassword shows the form to choose a password.
func (h *Handler) showPassword(c *gin.Context) error {
	return h.renderPassword(c, http.StatusOK, nil, "")
}

func (h *Handler) renderPassword(c *gin.Context, status int, errs map[string]string, flash string) error {
	cl := clientOf(c)
	p := &passwordPage{First: cl.Account.MustChangePassword, MinLength: auth.MinPasswordLength, Errors: errs,
		TwoFactor: cl.Account.TOTPMode != auth.TOTPOff || cl.Account.TOTPEnabled}
	l := web.LocalizerOf(c)
	title := l.T("portal.password.title")
	if p.First {
		title = l.T("portal.password.first_title")
	}
	p.Base = web.Base{Surface: web.SurfacePortal, Flash: flash, Preview: cl.Preview, Title: title}
	if !p.First {
		p.Nav = h.nav(c, cl)
	}
	return h.Renderer.HTML(c, status, "portal/password", p)
}
