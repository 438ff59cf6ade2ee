package server

import (
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"workrate/api"
	"workrate/branding"
	"workrate/tenant"
	"workrate/visitor"
	"workrate/web"
)

// langCookie remembers the language chosen before signing in.
const langCookie = "lang"

func prefixStrings(ps []netip.Prefix) []string {
	out := make([]string, 0, len(ps))
	for _, p := range ps {
		out = append(out, p.String())
	}
	return out
}

// requestLog gives each request an id and logs it when it ends.
func (a *App) requestLog() gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		var b [8]byte
		_, _ = rand.Read(b[:])
		id := hex.EncodeToString(b[:])
		c.Header("X-Request-Id", id)
		c.Next()
		t := tenant.FromContext(c)
		agency := ""
		if t.Site != nil {
			agency = t.Site.Agency.ID
		}
		slog.LogAttrs(c, levelFor(c.Writer.Status()), "request",
			slog.String("id", id), slog.String("method", c.Request.Method), slog.String("host", c.Request.Host),
			slog.String("path", c.Request.URL.Path), slog.String("agency", agency),
			slog.Int("status", c.Writer.Status()), slog.Duration("latency", time.Since(start)),
			slog.String("ip", c.ClientIP()))
	}
}

// levelFor is the level of a request's log line: a 503 (database down,
// deadline passed, shutting down) is a warning, whose cause is logged beside
// it; any other 5xx is an error.
func levelFor(status int) slog.Level {
	switch {
	case status == http.StatusServiceUnavailable:
		return slog.LevelWarn
	case status >= 500:
		return slog.LevelError
	}
	return slog.LevelInfo
}

// recovery turns a panic into a logged error and the branded 500 page.
func (a *App) recovery() gin.HandlerFunc {
	return gin.CustomRecoveryWithWriter(nil, func(c *gin.Context, err any) {
		slog.ErrorContext(c, "panic", "err", err, "path", c.Request.URL.Path)
		a.renderer.Error(c, http.StatusInternalServerError)
	})
}

func securityHeaders() gin.HandlerFunc { return web.SecurityHeaders() }

// limitBody caps request bodies; the API answers an oversized one in its
// own error envelope.
func limitBody(n int64) gin.HandlerFunc {
	limit := web.LimitBody(n)
	return func(c *gin.Context) {
		if c.Request.ContentLength > n && strings.HasPrefix(c.Request.URL.Path, api.Prefix+"/") {
			api.WriteError(c, http.StatusRequestEntityTooLarge, "body_too_large", "the body is too large")
			return
		}
		limit(c)
	}
}

// tenant resolves the Host; a host the platform does not serve gets the
// plain 404 page for every method, touching no account and no table.
func (a *App) tenant() gin.HandlerFunc {
	return a.resolver.Middleware(a.proxies, func(c *gin.Context) {
		a.renderer.Error(c, http.StatusNotFound)
	})
}

// brand puts the host's brand on the request: the agency's, or the platform's.
func (a *App) brand() gin.HandlerFunc {
	platform := branding.Platform(a.cfg.PlatformName)
	return func(c *gin.Context) {
		if t := tenant.FromContext(c); t.Site != nil {
			web.SetBrand(c, t.Site.Brand)
		} else {
			web.SetBrand(c, platform)
		}
		c.Next()
	}
}

// locale resolves the request's language once, in this order: the signed-in
// account's own choice, the choice made before signing in (the cookie), the
// agency's default, the browser's Accept-Language, English.
func (a *App) locale() gin.HandlerFunc {
	return func(c *gin.Context) {
		chosen, _ := c.Cookie(langCookie)
		agencyDefault := ""
		if t := tenant.FromContext(c); t.Site != nil {
			agencyDefault = t.Site.Agency.DefaultLanguage
		}
		lang := a.bundle.Match(visitor.Of(c).Language, chosen, agencyDefault, c.GetHeader("Accept-Language"))
		web.SetLocalizer(c, a.bundle.Localizer(lang))
		c.Next()
	}
}

// crossOrigin refuses state-changing requests sent by another origin.
func (a *App) crossOrigin() gin.HandlerFunc {
	cop := http.NewCrossOriginProtection()
	return func(c *gin.Context) {
		if err := cop.Check(c.Request); err != nil {
			a.renderer.Error(c, http.StatusForbidden)
			return
		}
		c.Next()
	}
}
