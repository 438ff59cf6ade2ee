package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"workrate/scheme"
	"workrate/tenant"
	"workrate/web"
)

// showHome is the front page of a host with no session: the platform's
// sign-in choices, or an agency host's way to its portal sign-in.
func (a *App) showHome(c *gin.Context) error {
	t := tenant.FromContext(c)
	if t.Kind == tenant.AgencyHost {
		c.Redirect(http.StatusSeeOther, "/login")
		return nil
	}
	v := web.View{}
	a.renderer.Frame(c, &v)
	v.Title = v.L.T("home.platform.title")
	return a.renderer.HTML(c, http.StatusOK, "public/home", v)
}

// setLanguage remembers a language choice for this host and returns to the page.
func (a *App) setLanguage(c *gin.Context) {
	lang := c.PostForm("lang")
	if a.bundle.Supported(lang) {
		for _, save := range a.languageSavers {
			save(c, lang)
		}
		http.SetCookie(c.Writer, &http.Cookie{
			Name: langCookie, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
			HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: scheme.Secure(c.Request),
		})
	}
	c.Redirect(http.StatusSeeOther, web.SafeNext(c.PostForm("next")))
}
