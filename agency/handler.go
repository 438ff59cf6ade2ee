// Package agency is the agency back office: the staff pages under /staff/….
// (The agency JSON API under /api/v1 is package api.)
//
// Everything hangs off one Handler so that other files of the package (the
// client-portal settings, branding, domains) reuse its pieces: requireStaff,
// requireManager, requireOwner, staffOf, agencyOf, h.page, h.render and
// h.staffBase.
package agency

import (
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/uptrace/bun"

	"workrate/access"
	"workrate/auth"
	"workrate/branding"
	"workrate/certs"
	"workrate/locale"
	"workrate/secondfactor"
	"workrate/store"
	"workrate/tenant"
	"workrate/web"
	"workrate/workspace"
)

// Deps is what the agency surface needs from the app.
type Deps struct {
	DB       *bun.DB
	Resolver *tenant.Resolver
	Renderer *web.Renderer
	Bundle   *locale.Bundle
	Hashes   *auth.HashPool     // bounds concurrent password hashing
	Sessions auth.SessionPolicy // staff session lifetime
	// Access changes and reads clients' portal access (the Client Portal section).
	Access *access.Service
	// Domains claims, checks and removes custom domains (domain_*.go).
	Domains *certs.Domains
	// Box seals two-factor secrets; nil when no secret key is configured.
	Box *auth.SecretBox
}

// Handler serves the back office.
type Handler struct {
	db       *bun.DB
	auth     *auth.Store
	tenants  *tenant.Store
	work     *workspace.Store
	resolver *tenant.Resolver
	renderer *web.Renderer
	bundle   *locale.Bundle
	hashes   *auth.HashPool
	gate     *auth.Gate // checks every password and code
	// twoFactor is the staff member's two-factor page (twofactor_enrol.go).
	twoFactor *secondfactor.Pages
	sessions  auth.SessionPolicy
	domains   *certs.Domains
	access    *access.Service
	brands    *branding.Store
	box       *auth.SecretBox
}

// New builds the handler.
func New(d Deps) *Handler {
	h := &Handler{
		db: d.DB, auth: auth.NewStore(d.DB), tenants: tenant.NewStore(d.DB),
		work:     workspace.NewStore(d.DB),
		resolver: d.Resolver, renderer: d.Renderer, bundle: d.Bundle,
		hashes: d.Hashes, gate: auth.NewGate(d.DB, d.Hashes, d.Box), sessions: d.Sessions, access: d.Access,
		domains: d.Domains,
		brands:  branding.NewStore(d.DB),
		box:     d.Box,
	}
	h.twoFactor = h.twoFactorPages()
	return h
}

// page adapts a page handler that returns an error: store.ErrNotFound is the
// branded 404 page, web.Status errors their page, anything else a logged 500.
func (h *Handler) page(f func(*gin.Context) error) gin.HandlerFunc {
	return h.renderer.Page(store.ErrNotFound)(f)
}

// render answers a staff page with status 200.
func (h *Handler) render(c *gin.Context, name string, p web.Page) error {
	return h.renderer.HTML(c, http.StatusOK, name, p)
}

// redirect answers 303 See Other to path (after a form post).
func redirect(c *gin.Context, path string) error {
	c.Redirect(http.StatusSeeOther, path)
	return nil
}

// Context keys of the signed-in staff member and their agency.
const (
	staffKey   = "agency.staff"
	sessionKey = "agency.session"
	wsKey      = "agency.workspace"
)

// staffOf returns the signed-in staff member (set by requireStaff).
func staffOf(c *gin.Context) *auth.Staff {
	v, _ := c.Get(staffKey)
	st, _ := v.(*auth.Staff)
	return st
}

// agencyOf returns the agency the request acts for: the signed-in staff
// member's (the tenant's Site).
func agencyOf(c *gin.Context) *tenant.Agency {
	if t := tenant.FromContext(c); t.Site != nil {
		return &t.Site.Agency
	}
	return nil
}

// localizer returns the request's localizer.
func (h *Handler) localizer(c *gin.Context) *locale.Localizer {
	if l := web.LocalizerOf(c); l != nil {
		return l
	}
	return h.bundle.Localizer(locale.DefaultLang)
}
