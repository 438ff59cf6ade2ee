package server

import (
	"net/http"
	"regexp"
	"strings"

	"github.com/gin-gonic/gin"

	"workrate/tenant"
	"workrate/web"
)

var themeRE = regexp.MustCompile(`^([0-9a-f]{6})-([0-9a-f]{6})\.css$`)

// serveTheme answers the brand colours as CSS custom properties; the name
// carries both colours, so the answer never changes and is cached for long.
func (a *App) serveTheme(c *gin.Context) {
	m := themeRE.FindStringSubmatch(c.Param("file"))
	if m == nil {
		a.renderer.Error(c, http.StatusNotFound)
		return
	}
	c.Header("Cache-Control", "public, max-age=31536000, immutable")
	c.Data(http.StatusOK, "text/css; charset=utf-8",
		[]byte(":root{--brand:#"+m[1]+";--brand-text:#"+m[2]+"}\n"))
}

func (a *App) serveLogo(c *gin.Context) error    { return a.serveImage(c, false) }
func (a *App) serveFavicon(c *gin.Context) error { return a.serveImage(c, true) }

// serveImage answers the logo or favicon of the request's agency by content hash.
func (a *App) serveImage(c *gin.Context, favicon bool) error {
	t := tenant.FromContext(c)
	hash, ok := strings.CutSuffix(c.Param("file"), ".png")
	if t.Site == nil || !ok || hash == "" || hash != t.Site.Brand.LogoHash {
		return web.ErrNotFound
	}
	img, err := a.brands.Image(c, t.Site.Agency.ID, hash, favicon)
	if err != nil {
		return err
	}
	c.Header("Cache-Control", "public, max-age=31536000, immutable")
	c.Header("X-Content-Type-Options", "nosniff")
	c.Data(http.StatusOK, "image/png", img)
	return nil
}

var iconRE = regexp.MustCompile(`^([0-9a-f]{6})\.svg$`)

// serveIcon answers the favicon of a white label without a logo: a plain
// square of the brand colour, so the browser tab never shows the platform's
// mark. The colour is in the name, so the answer never changes.
func (a *App) serveIcon(c *gin.Context) {
	m := iconRE.FindStringSubmatch(c.Param("file"))
	if m == nil {
		a.renderer.Error(c, http.StatusNotFound)
		return
	}
	c.Header("Cache-Control", "public, max-age=31536000, immutable")
	c.Data(http.StatusOK, "image/svg+xml",
		[]byte(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#`+m[1]+`"/></svg>`+"\n"))
}
