package agency

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"workrate/auth"
	"workrate/visitor"
	"workrate/web"
)

// langCookie is the language chosen with the layout's switcher (set by the
// server's /language handler).
const langCookie = "lang"

// requireStaff lets a request through only with a live staff session of this
// host (the visitor, re-checked on every request: a removed or disabled
// account, or one whose password changed elsewhere, is signed out at once).
// On the platform host the visitor made the session's agency the tenant.
func (h *Handler) requireStaff(c *gin.Context) {
	v := visitor.Of(c)
	if v.Err != nil {
		h.renderer.Fail(c, fmt.Errorf("staff session: %w", v.Err))
		return
	}
	if v.Kind != auth.KindStaff {
		// The cookie stays: it may hold a live session of another kind on
		// this host (a client's), which a link here must not end.
		web.ToSignIn(c, "/staff/login")
		return
	}
	st, sess := v.Staff, v.Session
	if target := staffGate(st, sess, v.Site.Agency.RequireStaffTOTP, c.Request.URL.Path); target != "" {
		c.Abort()
		c.Redirect(http.StatusSeeOther, target)
		return
	}
	c.Set(staffKey, st)
	c.Set(sessionKey, sess)
	web.SetViewer(c, &web.Viewer{Name: st.Name, Kind: auth.KindStaff})
	c.Next()
}

// requireManager lets owners and admins through; for members the page does
// not exist (404), like agency settings and portal access they may not change.
func (h *Handler) requireManager(c *gin.Context) {
	if st := staffOf(c); st == nil || !st.CanManage() {
		h.renderer.Error(c, http.StatusNotFound)
		return
	}
	c.Next()
}

// requireOwner lets only owners through (staff management).
func (h *Handler) requireOwner(c *gin.Context) {
	if st := staffOf(c); st == nil || st.Role != auth.RoleOwner {
		h.renderer.Error(c, http.StatusNotFound)
		return
	}
	c.Next()
}

// Staff navigation sections, for staffBase's active item.
const (
	SectionWorkspaces = "workspaces"
	SectionSettings   = "settings"
	SectionTeam       = "team"
	SectionAPIKeys    = "api-keys"
	SectionBranding   = "branding"
	SectionAccount    = "account"
)

// staffBase is the frame of a signed-in staff page: staff surface, the
// navigation the viewer's role allows (section marks the active item) and a
// localized title.
func (h *Handler) staffBase(c *gin.Context, section, titleID string) web.Base {
	l := h.localizer(c)
	st := staffOf(c)
	item := func(id, href, sec string) web.NavItem {
		return web.NavItem{Label: l.T(id), Href: href, Active: sec == section}
	}
	nav := []web.NavItem{item("staff.nav.workspaces", "/staff/workspaces", SectionWorkspaces)}
	if st != nil && st.CanManage() {
		nav = append(nav, item("staff.nav.settings", "/staff/settings", SectionSettings))
		nav = append(nav, item("branding.nav", "/staff/settings/branding", SectionBranding))
	}
	if st != nil && st.Role == auth.RoleOwner {
		nav = append(nav, item("staff.nav.team", "/staff/settings/team", SectionTeam))
	}
	if st != nil && st.CanManage() {
		nav = append(nav, item("staff.nav.api_keys", "/staff/settings/api-keys", SectionAPIKeys))
		nav = append(nav, item("domains.nav", "/staff/settings/domains", SectionDomains))
	}
	nav = append(nav, item("staff.nav.account", "/staff/account", SectionAccount))
	return web.Base{Title: l.T(titleID), Surface: web.SurfaceStaff, L: l, Nav: nav, Flash: flash(c, l)}
}
