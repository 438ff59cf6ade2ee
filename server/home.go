package server

import (
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"workrate/auth"
	"workrate/scheme"
	"workrate/tenant"
	"workrate/visitor"
	"workrate/web"
)

// homePage is the platform's front page: the frame alone.
type homePage struct {
	web.Base
}

// showHome is the front page of a host with no session: the platform's
// sign-in choices, or an agency host's way to its portal sign-in.
func (a *App) showHome(c *gin.Context) error {
	t := tenant.FromContext(c)
	if t.Kind == tenant.AgencyHost {
		c.Redirect(http.StatusSeeOther, "/login")
		return nil
	}
	p := &homePage{}
	a.renderer.Frame(c, &p.Base)
	p.Title = p.L.T("home.platform.title")
	return a.renderer.HTML(c, http.StatusOK, "public/home", p)
}

// setLanguage remembers a language choice for this host and returns to the page.
func (a *App) setLanguage(c *gin.Context) {
	lang := c.PostForm("lang")
	if a.bundle.Supported(lang) {
		a.saveLanguage(c, lang)
		http.SetCookie(c.Writer, &http.Cookie{
			Name: langCookie, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
			HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: scheme.Secure(c.Request),
		})
	}
	c.Redirect(http.StatusSeeOther, web.SafeNext(c.PostForm("next")))
}

// saveLanguage remembers a signed-in client's or staff member's language
// choice on the account, so that it holds at the next sign-in on any device.
// A preview changes nothing of the client's.
func (a *App) saveLanguage(c *gin.Context, lang string) {
	v := visitor.Of(c)
	var err error
	switch {
	case v.Kind == auth.KindClient:
		err = a.auth.SetPortalLanguage(c, v.Client.AgencyID, v.Client.ID, lang)
	case v.Kind == auth.KindStaff:
		err = a.auth.SetStaffLanguage(c, v.Staff.AgencyID, v.Staff.ID, lang)
	}
	if err != nil {
		slog.ErrorContext(c, "save language", "err", err)
	}
}
