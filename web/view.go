// Package web holds the layout, static assets and rendering helpers shared by
// every HTML surface: the portal, the back office and the operator console.
package web

import (
	"html/template"

	"github.com/gin-gonic/gin"

	"workrate/branding"
	"workrate/locale"
)

// Surfaces choose the layout's header and navigation style.
const (
	SurfacePublic   = "public"   // login and other pages before a session
	SurfacePortal   = "portal"   // a client's portal
	SurfaceStaff    = "staff"    // the agency back office
	SurfaceOperator = "operator" // the platform operators' console
)

// NavItem is one link of a page's <nav>. Tool, when set, becomes data-tool.
type NavItem struct {
	Label  string
	Href   string
	Tool   string
	Active bool
}

// Viewer is who is looking, as the layout shows it.
type Viewer struct {
	Name string
	Kind string // "client", "staff" or "operator"
}

// Base is the frame every page's data embeds: what the layout needs. A
// page's own fields sit beside it, so templates name them directly
// ({{.Ticket}}) and the layout names the frame's ({{.Title}}).
type Base struct {
	Title     string
	Surface   string
	Brand     branding.Brand
	L         *locale.Localizer
	Lang      string
	Languages []locale.Language
	Nav       []NavItem
	Viewer    *Viewer
	Path      string
	Flash     string
	Preview   bool // staff looking at a client's portal: a banner, nothing writable
	// Content, when set, is the page's content already rendered (see
	// Renderer.Content); the layout shows it instead of rendering the page.
	Content template.HTML
}

// Page is the data of a page: a pointer to a struct embedding Base.
type Page interface {
	frame() *Base
}

func (b *Base) frame() *Base { return b }

// Context keys for what the frame needs, set by middleware before handlers run.
const (
	brandKey     = "workrate.brand"
	localizerKey = "workrate.localizer"
	viewerKey    = "workrate.viewer"
)

// SetBrand records the brand that this request's pages show.
func SetBrand(c *gin.Context, b branding.Brand) { c.Set(brandKey, b) }

// BrandOf returns the request's brand; ok is false when none was set (unknown host).
func BrandOf(c *gin.Context) (branding.Brand, bool) {
	v, ok := c.Get(brandKey)
	if !ok {
		return branding.Brand{}, false
	}
	b, ok := v.(branding.Brand)
	return b, ok
}

// SetLocalizer records the request's localizer, resolved once per request.
func SetLocalizer(c *gin.Context, l *locale.Localizer) { c.Set(localizerKey, l) }

// LocalizerOf returns the request's localizer, or nil.
func LocalizerOf(c *gin.Context) *locale.Localizer {
	if v, ok := c.Get(localizerKey); ok {
		if l, ok := v.(*locale.Localizer); ok {
			return l
		}
	}
	return nil
}

// SetViewer records who is signed in, for the layout.
func SetViewer(c *gin.Context, v *Viewer) { c.Set(viewerKey, v) }

// ViewerOf returns who is signed in, or nil.
func ViewerOf(c *gin.Context) *Viewer {
	if v, ok := c.Get(viewerKey); ok {
		if vw, ok := v.(*Viewer); ok {
			return vw
		}
	}
	return nil
}
