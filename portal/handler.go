// Package portal is the client portal: sign-in, the first-login password
// change, the client's own workspace and the tools the agency enabled for it,
// and nothing else. Staff see the same pages read-only in a preview.
package portal

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"workrate/access"
	"workrate/auth"
	"workrate/field"
	"workrate/locale"
	"workrate/secondfactor"
	"workrate/store"
	"workrate/tenant"
	"workrate/web"
	"workrate/workspace"
)

// Deps is what the portal needs.
type Deps struct {
	Access   *access.Service
	Auth     *auth.Store
	Renderer *web.Renderer
	Bundle   *locale.Bundle
	Resolver *tenant.Resolver
	Store    *workspace.Store
	Sessions auth.SessionPolicy
	// Hashes gives second-factor code attempts their turn and remembered
	// lock-outs, like password sign-ins.
	Hashes *auth.HashPool
	// Box seals two-factor secrets; nil when no secret key is configured
	// (two-factor sign-in is then unavailable).
	Box *auth.SecretBox
	// Home answers "/" when nobody is signed in (the host's front page).
	Home gin.HandlerFunc
	// NotFound answers a path that does not exist; a disabled tool answers
	// exactly like it.
	NotFound gin.HandlerFunc
}

// Handler serves the portal's pages. Create it with New.
type Handler struct {
	Deps
	page       func(func(*gin.Context) error) gin.HandlerFunc
	dashboards dashboardCache
	secrets    *auth.Gate // the gate: checks second-factor codes
	twoFactor  *secondfactor.Pages
}

// New returns the portal's handler.
func New(d Deps) *Handler {
	if d.NotFound == nil {
		d.NotFound = func(c *gin.Context) { d.Renderer.Error(c, http.StatusNotFound) }
	}
	h := &Handler{Deps: d, page: d.Renderer.Page(store.ErrNotFound), secrets: auth.NewGate(d.Auth.DB(), d.Hashes, d.Box)}
	h.twoFactor = h.twoFactorPages()
	return h
}

// base is the portal's frame of a page titled title: surface, nav, viewer
// and preview.
func (h *Handler) base(c *gin.Context, title string) web.Base {
	v := web.Base{Surface: web.SurfacePublic}
	if cl := clientOf(c); cl != nil {
		v.Surface = web.SurfacePortal
		v.Nav = h.nav(c, cl)
		v.Preview = cl.Preview
	}
	h.Renderer.Frame(c, &v)
	v.Title = title
	return v
}

// nav lists the enabled tools, in canonical order, and nothing else.
func (h *Handler) nav(c *gin.Context, cl *client) []web.NavItem {
	l := web.LocalizerOf(c)
	var out []web.NavItem
	for _, t := range cl.Tools() {
		href := toolPath(t)
		path := c.Request.URL.Path
		active := path == href || href != "/" && strings.HasPrefix(path, href+"/")
		out = append(out, web.NavItem{Label: l.T("nav." + string(t)), Href: href, Tool: string(t), Active: active})
	}
	return out
}

// toolPath is where a tool's pages start.
func toolPath(tool workspace.Tool) string {
	if tool == workspace.ToolDashboard {
		return "/"
	}
	return "/" + string(tool)
}

// actor is the client as the author of what they write.
func (cl *client) actor() workspace.Actor {
	return workspace.Actor{Kind: workspace.ActorClient, ID: cl.Account.ID, Name: cl.Workspace.Name}
}

// fieldErrors turns a workspace validation error into localized messages by field.
func fieldErrors(c *gin.Context, err error) (map[string]string, bool) {
	fe := field.As(err)
	if fe == nil {
		return nil, false
	}
	return map[string]string{fe.Field: web.LocalizerOf(c).FieldMessage(fe)}, true
}

// listError answers a page link the store refuses (a bad cursor) with 400.
func listError(err error) error {
	if field.As(err) != nil {
		return web.Status(http.StatusBadRequest, err)
	}
	return err
}
