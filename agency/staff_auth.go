package agency

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"workrate/auth"
	"workrate/store"
	"workrate/tenant"
	"workrate/web"
)

// langCookie is the language chosen with the layout's switcher (set by the
// server's /language handler).
const langCookie = "lang"

// requireStaff lets a request through only with a live staff session of this
// host. The account is re-read on every request: a removed or disabled
// account, or one whose password changed elsewhere (session_version), is
// signed out at once. On the platform host the session's agency becomes the
// request's tenant, with its brand; the staff member's saved language applies.
func (h *Handler) requireStaff(c *gin.Context) {
	st, sess, err := h.loadStaff(c)
	if err != nil {
		if !errors.Is(err, store.ErrNotFound) {
			h.renderer.Fail(c, fmt.Errorf("staff session: %w", err))
			return
		}
		// The cookie stays: it may hold a live session of another kind on
		// this host (a client's), which a link here must not end.
		web.ToSignIn(c, "/staff/login")
		return
	}
	site := tenant.FromContext(c).Site
	if target := staffGate(st, sess, site.Agency.RequireStaffTOTP, c.Request.URL.Path); target != "" {
		c.Abort()
		c.Redirect(http.StatusSeeOther, target)
		return
	}
	c.Set(staffKey, st)
	c.Set(sessionKey, sess)
	chosen, _ := c.Cookie(langCookie)
	web.SetLocalizer(c, h.bundle.Localizer(h.bundle.Match(st.Language, chosen, site.Agency.DefaultLanguage, c.GetHeader("Accept-Language"))))
	web.SetViewer(c, &web.Viewer{Name: st.Name, Kind: auth.KindStaff})
	c.Next()
}

// loadStaff finds the request's staff session and account; store.ErrNotFound
// means "not signed in" for any reason.
func (h *Handler) loadStaff(c *gin.Context) (*auth.Staff, *auth.Session, error) {
	t := tenant.FromContext(c)
	token := auth.SessionToken(c.Request)
	if token == "" {
		return nil, nil, store.ErrNotFound
	}
	sess, err := h.auth.SessionByToken(c, token, t.Host, h.sessions)
	if err != nil {
		return nil, nil, err
	}
	if sess.Kind != auth.KindStaff || sess.AgencyID == "" {
		return nil, nil, store.ErrNotFound
	}
	switch t.Kind {
	case tenant.AgencyHost:
		if t.Site.Agency.ID != sess.AgencyID {
			return nil, nil, store.ErrNotFound
		}
	case tenant.Platform:
		site := h.resolver.SiteByID(sess.AgencyID)
		if site == nil || !site.Agency.Active() {
			return nil, nil, store.ErrNotFound
		}
		tenant.WithTenant(c, tenant.Tenant{Kind: tenant.Platform, Host: t.Host, Site: site})
		web.SetBrand(c, site.Brand)
	default:
		return nil, nil, store.ErrNotFound
	}
	st, err := h.auth.StaffByID(c, sess.AgencyID, sess.SubjectID)
	if err != nil {
		return nil, nil, err
	}
	expired := sess.SecondFactorPending && store.Now().Sub(sess.CreatedAt) > auth.PendingSecondFactorTTL
	if st.Disabled || st.SessionVersion != sess.SessionVersion || expired {
		_ = h.auth.DeleteSession(c, token)
		return nil, nil, store.ErrNotFound
	}
	return st, sess, nil
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

// Staff navigation sections, for staffView's active item.
const (
	SectionWorkspaces = "workspaces"
	SectionSettings   = "settings"
	SectionTeam       = "team"
	SectionAPIKeys    = "api-keys"
	SectionBranding   = "branding"
	SectionAccount    = "account"
)

// staffView starts the View of a signed-in staff page: staff surface, the
// navigation the viewer's role allows (section marks the active item) and a
// localized title.
func (h *Handler) staffView(c *gin.Context, section, titleID string, data any) web.View {
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
	return web.View{Title: l.T(titleID), Surface: web.SurfaceStaff, L: l, Nav: nav, Data: data, Flash: flash(c, l)}
}
