// Package operator is the platform operators' console on the platform host:
// sign-in, agencies (create, suspend, reactivate) and custom domains across
// agencies (statuses, approve, re-check, remove).
package operator

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"
	"github.com/uptrace/bun"

	"workrate/auth"
	"workrate/certs"
	"workrate/locale"
	"workrate/secondfactor"
	"workrate/store"
	"workrate/tenant"
	"workrate/web"
)

// Deps is what the console needs.
type Deps struct {
	DB       *bun.DB
	Resolver *tenant.Resolver
	Renderer *web.Renderer
	Bundle   *locale.Bundle
	Hashes   *auth.HashPool
	Sessions auth.SessionPolicy
	Domains  *certs.Domains
	// Box seals two-factor secrets; nil when no secret key is configured.
	Box *auth.SecretBox
	// RequireTwoFactor makes every operator enrol before the console opens.
	RequireTwoFactor bool
}

// Handler serves the console's pages.
type Handler struct {
	db       *bun.DB
	resolver *tenant.Resolver
	renderer *web.Renderer
	bundle   *locale.Bundle
	hashes   *auth.HashPool
	gate     *auth.Gate // checks operators' passwords
	sessions auth.SessionPolicy
	domains  *certs.Domains
	auth     *auth.Store
	tenants  *tenant.Store
	box      *auth.SecretBox
	// requireTwoFactor: every operator signs in with a second factor.
	requireTwoFactor bool
	twoFactor        *secondfactor.Pages // twofactor.go
}

// New returns the console's handler.
func New(d Deps) *Handler {
	h := &Handler{
		db: d.DB, resolver: d.Resolver, renderer: d.Renderer, bundle: d.Bundle, hashes: d.Hashes,
		gate: auth.NewGate(d.DB, d.Hashes, d.Box), sessions: d.Sessions, domains: d.Domains, auth: auth.NewStore(d.DB), tenants: tenant.NewStore(d.DB),
		box: d.Box, requireTwoFactor: d.RequireTwoFactor,
	}
	h.twoFactor = h.twoFactorPages()
	return h
}

// pageSize is how many rows a list shows at once.
const pageSize = 25

func (h *Handler) page(f func(*gin.Context) error) gin.HandlerFunc {
	return h.renderer.Page(store.ErrNotFound)(f)
}

// platformOnly makes the console exist on the platform host only: anywhere
// else every /operator path is the host's plain 404.
func (h *Handler) platformOnly(c *gin.Context) {
	if tenant.FromContext(c).Kind != tenant.Platform {
		h.renderer.Error(c, http.StatusNotFound)
		return
	}
	c.Next()
}

func (h *Handler) localizer(c *gin.Context) *locale.Localizer {
	if l := web.LocalizerOf(c); l != nil {
		return l
	}
	return h.bundle.Localizer("en")
}

// base is the frame of a signed-in console page: the console's navigation,
// page marking the active item, and the notice of what was just done.
func (h *Handler) base(c *gin.Context, page, titleID string) web.Base {
	l := h.localizer(c)
	v := web.Base{Title: l.T(titleID), Surface: web.SurfaceOperator, Nav: h.nav(c, page)}
	if id, ok := notices[c.Query("done")]; ok {
		v.Flash = l.T(id)
	}
	return v
}

// nav is the console's navigation; page marks the active item.
func (h *Handler) nav(c *gin.Context, page string) []web.NavItem {
	l := h.localizer(c)
	return []web.NavItem{
		{Label: l.T("operator.nav.agencies"), Href: "/operator/agencies", Active: page == "operator/agencies"},
		{Label: l.T("operator.nav.domains"), Href: "/operator/domains", Active: page == "operator/domains"},
		{Label: l.T("twofactor.title"), Href: twoFactorPath, Active: page == twoFactorPath},
	}
}

// notices are the confirmations shown after an action (?done=…).
var notices = map[string]string{
	"created":     "operator.done.created",
	"suspended":   "operator.done.suspended",
	"reactivated": "operator.done.reactivated",
	"approved":    "operator.done.approved",
	"checked":     "operator.done.checked",
	"removed":     "operator.done.removed",
}

func redirect(c *gin.Context, to string) error {
	c.Redirect(http.StatusSeeOther, to)
	return nil
}

// pageNumber reads ?page=N (1 when absent or junk).
func pageNumber(c *gin.Context) int {
	n, err := strconv.Atoi(c.Query("page"))
	if err != nil || n < 1 || n > 100000 {
		return 1
	}
	return n
}

// pager is the previous/next links of a list.
type pager struct {
	Prev, Next int // 0: none
}

func newPager(page int, more bool) pager {
	p := pager{}
	if page > 1 {
		p.Prev = page - 1
	}
	if more {
		p.Next = page + 1
	}
	return p
}
