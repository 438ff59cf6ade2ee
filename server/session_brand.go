package server

import (
	"log/slog"

	"github.com/gin-gonic/gin"

	"workrate/auth"
	"workrate/tenant"
	"workrate/web"
)

// sessionSite is, on the platform host, the agency of the signed-in client or
// staff member (the account re-checked like on every page), with the
// language they chose; nil for anybody else and on every other host.
func (a *App) sessionSite(c *gin.Context) (*tenant.Site, string) {
	t := tenant.FromContext(c)
	tok := auth.SessionToken(c.Request)
	if t.Kind != tenant.Platform || tok == "" {
		return nil, ""
	}
	sess, err := a.auth.SessionByToken(c, tok, t.Host, a.sessionPolicy())
	if err != nil {
		return nil, ""
	}
	site := a.resolver.SiteByID(sess.AgencyID)
	if site == nil || !site.Agency.Active() {
		return nil, ""
	}
	switch sess.Kind {
	case auth.KindClient:
		acc, err := a.auth.PortalAccountByID(c, sess.AgencyID, sess.SubjectID)
		if err != nil || !acc.Enabled || acc.SessionVersion != sess.SessionVersion {
			return nil, ""
		}
		return site, acc.Language
	case auth.KindStaff:
		st, err := a.auth.StaffByID(c, sess.AgencyID, sess.SubjectID)
		if err != nil || st.Disabled || st.SessionVersion != sess.SessionVersion {
			return nil, ""
		}
		return site, st.Language
	}
	return nil, ""
}

// brandSession makes a request on the platform host that no page claimed (a
// 404, the logo) act for the signed-in user's agency: its brand, its language.
func (a *App) brandSession(c *gin.Context) {
	site, lang := a.sessionSite(c)
	if site == nil {
		return
	}
	t := tenant.FromContext(c)
	if t.Site != nil && t.Site.Agency.ID != site.Agency.ID {
		slog.WarnContext(c, "session agency differs from the request's", "agency", t.Site.Agency.ID)
		return
	}
	tenant.WithTenant(c, tenant.Tenant{Kind: tenant.Platform, Host: t.Host, Site: site})
	web.SetBrand(c, site.Brand)
	chosen, _ := c.Cookie(langCookie)
	web.SetLocalizer(c, a.bundle.Localizer(a.bundle.Match(lang, chosen, site.Agency.DefaultLanguage, c.GetHeader("Accept-Language"))))
}
