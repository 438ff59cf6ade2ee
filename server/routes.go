package server

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"workrate/api"
	"workrate/formtoken"
	"workrate/idempotency"
	"workrate/scheme"
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
	// The scheme first: cookies and HSTS follow what it decides (TLS here, or
	// X-Forwarded-Proto: https from a trusted proxy and nobody else).
	e.Use(scheme.Middleware(a.proxies), a.requestLog(), a.recovery(), securityHeaders(), limitBody(maxBody), a.deadline())

	// Any host, before tenant resolution.
	e.GET("/healthz", a.healthz)
	e.GET("/readyz", a.readyz)
	e.GET("/static/*file", a.renderer.Assets().Serve)

	// Brand files that depend on nothing but their name: on any served host,
	// without reading who is asking (they are cached for a year anyway).
	served := e.Group("/", a.tenant(), a.brand(), a.locale())
	served.GET("/brand/theme/:file", a.serveTheme)
	served.GET("/brand/icon/:file", a.serveIcon)

	// The pipeline: tenant (the Host) → visitor (who is asking, once) → brand → language.
	site := e.Group("/", a.tenant(), a.visitors.Middleware(), a.brand(), a.locale(), a.crossOrigin(), web.CleanInput(a.badInput))
	// API writes with an Idempotency-Key, and forms with their one-time token, run once.
	site.Use(idempotency.New(idempotency.NewStore(a.db), api.Prefix, api.WriteError).Middleware())
	site.Use(formtoken.New(formtoken.NewStore(a.db), func(c *gin.Context) { a.renderer.Error(c, http.StatusServiceUnavailable) }).Middleware())
	site.GET("/brand/logo/:file", a.page(a.serveLogo)) // on the platform host: the signed-in visitor's agency
	site.GET("/brand/favicon/:file", a.page(a.serveFavicon))
	site.POST("/language", a.setLanguage)
	a.portal.Routes(site)   // the client portal, at the root: /login, /, /tickets, … ("/" is the host's front page to nobody signed in)
	a.agency.Routes(site)   // /staff/… back office
	a.api.Routes(site)      // /api/v1 JSON API
	a.operator.Routes(site) // /operator/… console, platform host only

	e.NoRoute(a.tenant(), a.visitors.Middleware(), a.brand(), a.locale(), a.notFound)
	return e
}

// badInput answers a request whose text cannot be stored (a NUL byte,
// invalid UTF-8): 400, in the API's envelope under /api/.
func (a *App) badInput(c *gin.Context) {
	if strings.HasPrefix(c.Request.URL.Path, api.Prefix+"/") {
		api.WriteError(c, http.StatusBadRequest, "invalid_text", "text must be UTF-8 without NUL characters")
		return
	}
	a.renderer.Error(c, http.StatusBadRequest)
}

// notFound answers a path no route serves: the branded 404 page, or the
// API's error envelope under /api/.
func (a *App) notFound(c *gin.Context) {
	if strings.HasPrefix(c.Request.URL.Path, api.Prefix+"/") || c.Request.URL.Path == api.Prefix {
		api.WriteError(c, http.StatusNotFound, "not_found", "no such API route")
		return
	}
	a.renderer.Error(c, http.StatusNotFound)
}
