package server

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"workrate/agency"
	"workrate/web"
)

// routes builds the engine: what every request passes through, then each surface.
func (a *App) routes() *gin.Engine {
	gin.SetMode(gin.ReleaseMode)
	e := gin.New()
	e.RedirectTrailingSlash = false
	e.RedirectFixedPath = false
	e.HandleMethodNotAllowed = false // a wrong method is a 404, like a path that never existed
	e.ContextWithFallback = true
	_ = e.SetTrustedProxies(prefixStrings(a.proxies))
	e.Use(a.requestLog(), a.recovery(), securityHeaders(), limitBody(maxBody), a.deadline())

	// Any host, before tenant resolution.
	e.GET("/healthz", a.healthz)
	e.GET("/readyz", a.readyz)
	e.GET("/static/*file", a.renderer.Assets().Serve)

	site := e.Group("/", a.tenant(), a.brand(), a.locale(), a.crossOrigin(), web.CleanInput(a.badInput))
	site.GET("/brand/theme/:file", a.serveTheme)
	site.GET("/brand/logo/:file", a.page(a.serveLogo))
	site.GET("/brand/favicon/:file", a.page(a.serveFavicon))
	site.GET("/brand/icon/:file", a.serveIcon)
	site.POST("/language", a.setLanguage)
	a.portal.Routes(site)   // the client portal, at the root: /login, /, /tickets, … ("/" is the host's front page to nobody signed in)
	a.agency.Routes(site)   // /staff/… back office and /api/v1 JSON API
	a.operator.Routes(site) // /operator/… console, platform host only

	e.NoRoute(a.tenant(), a.brand(), a.locale(), a.notFound)
	return e
}

// badInput answers a request whose text cannot be stored (a NUL byte,
// invalid UTF-8): 400, in the API's envelope under /api/.
func (a *App) badInput(c *gin.Context) {
	if strings.HasPrefix(c.Request.URL.Path, agency.APIPrefix+"/") {
		agency.WriteAPIError(c, http.StatusBadRequest, "invalid_text", "text must be UTF-8 without NUL characters")
		return
	}
	a.brandSession(c)
	a.renderer.Error(c, http.StatusBadRequest)
}

// notFound answers a path no route serves: the branded 404 page, or the
// API's error envelope under /api/.
func (a *App) notFound(c *gin.Context) {
	if strings.HasPrefix(c.Request.URL.Path, agency.APIPrefix+"/") || c.Request.URL.Path == agency.APIPrefix {
		agency.WriteAPIError(c, http.StatusNotFound, "not_found", "no such API route")
		return
	}
	// On the platform host a signed-in client still sees their agency's brand.
	a.brandSession(c)
	a.renderer.Error(c, http.StatusNotFound)
}
