package portal

import (
	"github.com/gin-gonic/gin"

	"workrate/access"
	"workrate/auth"
	"workrate/secondfactor"
	"workrate/store"
	"workrate/web"
)

// twoFactorPath is the client's two-factor page: enrolment, status, disabling.
const twoFactorPath = "/two-factor"

// twoFactorPages serves the client's two-factor page at twoFactorPath, in
// the portal's frame. Where the agency turned two-factor sign-in off for the
// client, it does not exist; where it requires it, nothing else opens before
// the enrolment. A preview shows it and changes nothing.
func (h *Handler) twoFactorPages() *secondfactor.Pages {
	return &secondfactor.Pages{
		Store: h.Auth, Gate: h.secrets, Box: h.Box, Base: twoFactorPath, Home: "/",
		Account: func(c *gin.Context) secondfactor.Account {
			cl := clientOf(c)
			a := cl.Account
			required := a.TOTPMode == auth.TOTPRequired
			return secondfactor.Account{Subject: cl.subject(), Holder: cl.holder(), Asker: cl.asker(c), Email: a.LoginEmail,
				Enabled: a.TOTPEnabled, Required: required, Begin: required && !cl.Preview,
				Off: a.TOTPMode == auth.TOTPOff && !a.TOTPEnabled}
		},
		Render: func(c *gin.Context, status int, p *secondfactor.Page) error {
			cl := clientOf(c)
			p.Surface, p.Preview, p.Title = web.SurfacePortal, cl.Preview, web.LocalizerOf(c).T("twofactor.title")
			if !p.Required || p.Enabled {
				p.Nav = h.nav(c, cl)
			}
			return h.Renderer.HTML(c, status, "portal/twofactor", p)
		},
		Changed: func(c *gin.Context, on bool) error {
			cl := clientOf(c)
			cl.Account.TOTPEnabled = on
			action := access.ActionTwoFactorOff
			if on {
				action = access.ActionTwoFactorOn
			}
			return h.Auth.RecordPortalEvent(c, &auth.PortalEvent{AgencyID: cl.Account.AgencyID, WorkspaceID: cl.Account.WorkspaceID,
				ActorKind: access.ActorClient, ActorID: cl.Account.ID, ActorName: cl.Account.LoginEmail, Action: action, CreatedAt: store.Now()})
		},
	}
}

// showTwoFactor shows the client's two-factor page; where the agency turned
// it off, it answers exactly like a path that never existed.
func (h *Handler) showTwoFactor(c *gin.Context) error {
	cl := clientOf(c)
	if cl.Account.TOTPMode == auth.TOTPOff && !cl.Account.TOTPEnabled {
		h.asNobody(c)
		h.NotFound(c)
		return nil
	}
	return h.twoFactor.Show(c)
}
