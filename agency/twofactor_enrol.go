package agency

import (
	"github.com/gin-gonic/gin"

	"workrate/secondfactor"
)

// twoFactorPages serves the staff member's two-factor page at
// staffTwoFactorPath, in the back office's frame; where the agency requires
// two-factor sign-in, nothing else opens before the enrolment.
func (h *Handler) twoFactorPages() *secondfactor.Pages {
	return &secondfactor.Pages{
		Store: h.auth, Gate: h.gate, Box: h.box, Base: staffTwoFactorPath, Home: "/staff/workspaces",
		Account: func(c *gin.Context) secondfactor.Account {
			st := staffOf(c)
			required := agencyOf(c).RequireStaffTOTP
			return secondfactor.Account{Subject: staffSubject(st), Holder: staffHolder(st), Asker: h.asker(c, st.Email, st.AgencyID),
				Email: st.Email, Enabled: st.TOTPEnabled, Required: required, Begin: required}
		},
		Render: func(c *gin.Context, status int, p *secondfactor.Page) error {
			p.Base = h.staffBase(c, SectionAccount, "twofactor.title")
			if p.Required && !p.Enabled {
				p.Nav = nil // nothing else opens before the enrolment
				p.Flash = h.localizer(c).T("twofactor.staff.required_notice")
			}
			return h.renderer.HTML(c, status, "portal/twofactor", p)
		},
	}
}

// updateStaffTwoFactorRule lets the owner require two-factor sign-in of all staff.
func (h *Handler) updateStaffTwoFactorRule(c *gin.Context) error {
	id := agencyOf(c).ID
	if err := h.tenants.SetRequireStaffTOTP(c, id, c.PostForm("require_staff_totp") != ""); err != nil {
		return err
	}
	h.refreshHosts(c)
	return redirect(c, "/staff/settings?done=saved")
}
