package portal

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"workrate/tenant"
	"workrate/web"
)

// loginPage is the data of the sign-in page.
type loginPage struct {
	web.Base
	Email      string
	Next       string
	Error      string
	AgencyName string // on an agency's hosts, whom to contact for a new password
}

// showLogin is the sign-in form; a signed-in client goes to the portal.
func (h *Handler) showLogin(c *gin.Context) error {
	cl, err := h.loadClient(c)
	if err != nil {
		return err
	}
	if cl != nil && !cl.Preview {
		c.Redirect(http.StatusSeeOther, "/")
		return nil
	}
	return h.renderLogin(c, http.StatusOK, loginPage{Next: safeNext(c.Query("next"))})
}

func (h *Handler) renderLogin(c *gin.Context, status int, p loginPage) error {
	if t := tenant.FromContext(c); t.Kind == tenant.AgencyHost && t.Site != nil {
		p.AgencyName = t.Site.Agency.Name
	}
	p.Base = h.base(c, web.LocalizerOf(c).T("portal.login.title"))
	return h.Renderer.HTML(c, status, "portal/login", &p)
}

// safeNext keeps a same-host path to return to after signing in, or "".
func safeNext(next string) string {
	if n := web.SafeNext(next); n != "/" {
		return n
	}
	return ""
}
