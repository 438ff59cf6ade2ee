// Package portal is the client portal: sign-in, the first-login password
// change, the client's own workspace and the tools the agency enabled for it,
// and nothing else. Staff see the same pages read-only in a preview.
package portal

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"workrate/access"
	"workrate/auth"
	"workrate/locale"
	"workrate/store"
	"workrate/tenant"
	"workrate/web"
)

// Deps is what the portal needs.
type Deps struct {
	Access   *access.Service
	Auth     *auth.Store
	Renderer *web.Renderer
	Bundle   *locale.Bundle
	Resolver *tenant.Resolver
	Sessions auth.SessionPolicy
	// Home answers "/" when nobody is signed in (the host's front page).
	Home gin.HandlerFunc
	// NotFound answers a path that does not exist; a disabled tool answers
	// exactly like it.
	NotFound gin.HandlerFunc
}

// Handler serves the portal's pages. Create it with New.
type Handler struct {
	Deps
	page func(func(*gin.Context) error) gin.HandlerFunc
}

// New returns the portal's handler.
func New(d Deps) *Handler {
	if d.NotFound == nil {
		d.NotFound = func(c *gin.Context) { d.Renderer.Error(c, http.StatusNotFound) }
	}
	return &Handler{Deps: d, page: d.Renderer.Page(store.ErrNotFound)}
}

// render fills the portal's frame (surface, nav, viewer, preview) and renders page.
func (h *Handler) render(c *gin.Context, status int, page, title string, data any) error {
	v := web.View{Surface: web.SurfacePublic, Data: data}
	if cl := clientOf(c); cl != nil {
		v.Surface = web.SurfacePortal
		v.Nav = h.nav(c, cl)
		v.Preview = cl.Preview
	}
	h.Renderer.Frame(c, &v)
	v.Title = title
	return h.Renderer.HTML(c, status, page, v)
}

// nav lists the enabled tools, in canonical order, and nothing else.
func (h *Handler) nav(c *gin.Context, cl *client) []web.NavItem {
	l := web.LocalizerOf(c)
	var out []web.NavItem
	for _, t := range access.AllTools() {
		if !cl.Account.HasTool(t) {
			continue
		}
		href := toolPath(t)
		active := c.Request.URL.Path == href || href != "/" && len(c.Request.URL.Path) > len(href) && c.Request.URL.Path[:len(href)+1] == href+"/"
		out = append(out, web.NavItem{Label: l.T("nav." + t), Href: href, Tool: t, Active: active})
	}
	return out
}

// toolPath is where a tool's pages start.
func toolPath(tool string) string {
	if tool == access.ToolDashboard {
		return "/"
	}
	return "/" + tool
}
