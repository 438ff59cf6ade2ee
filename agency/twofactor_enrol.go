package agency

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"workrate/auth"
	"workrate/store"
	"workrate/web"
)

// staffTwoFactorPage is the data of the staff two-factor page (template portal/twofactor).
type staffTwoFactorPage struct {
	auth.Enrolment
	Unavailable bool
	Required    bool
	Codes       []string
	Error       string
	Base        string
	Home        string
}

// showStaffTwoFactor shows the staff member's two-factor sign-in: its state
// and the way to turn it off, or the enrolment (begun at once when the agency requires it).
func (h *Handler) showStaffTwoFactor(c *gin.Context) error {
	st := staffOf(c)
	p := staffTwoFactorPage{Required: agencyOf(c).RequireStaffTOTP}
	if err := h.fillStaffTwoFactor(c, st, &p, p.Required); err != nil {
		return err
	}
	return h.renderStaffTwoFactor(c, http.StatusOK, p)
}

// fillStaffTwoFactor adds the state of the enrolment to p; begin starts
// one when none is pending.
func (h *Handler) fillStaffTwoFactor(c *gin.Context, st *auth.Staff, p *staffTwoFactorPage, begin bool) error {
	if h.box == nil {
		p.Unavailable = true
		return nil
	}
	b, _ := web.BrandOf(c)
	e, err := h.auth.EnrolmentOf(c, h.box, staffSubject(st), st.TOTPEnabled || p.Enabled, begin, b.Name, st.Email)
	if err != nil {
		return err
	}
	p.Enrolment = *e
	return nil
}

func (h *Handler) renderStaffTwoFactor(c *gin.Context, status int, p staffTwoFactorPage) error {
	p.Base, p.Home = staffTwoFactorPath, "/staff/workspaces"
	c.Header("Cache-Control", "no-store")
	v := h.staffView(c, SectionAccount, "twofactor.title", p)
	if p.Required && !p.Enabled {
		v.Nav = nil // nothing else opens before the enrolment
		v.Flash = h.localizer(c).T("twofactor.staff.required_notice")
	}
	return h.renderer.HTML(c, status, "portal/twofactor", v)
}

// startStaffTwoFactor begins (or restarts) the staff member's enrolment.
func (h *Handler) startStaffTwoFactor(c *gin.Context) error {
	if h.box == nil {
		return redirect(c, staffTwoFactorPath)
	}
	if _, err := h.auth.BeginTOTPEnrollment(c, h.box, staffSubject(staffOf(c))); err != nil && !errors.Is(err, auth.ErrTOTPEnabled) {
		return err
	}
	return redirect(c, staffTwoFactorPath)
}

// confirmStaffTwoFactor turns two-factor sign-in on with the first code and
// shows the recovery codes, this once.
func (h *Handler) confirmStaffTwoFactor(c *gin.Context) error {
	st := staffOf(c)
	if h.box == nil {
		return redirect(c, staffTwoFactorPath)
	}
	p := staffTwoFactorPage{Required: agencyOf(c).RequireStaffTOTP}
	codes, err := h.auth.ConfirmTOTPEnrollment(c, h.box, staffSubject(st), c.PostForm("code"), store.Now())
	switch {
	case err == nil:
	case errors.Is(err, auth.ErrBadCode), errors.Is(err, auth.ErrTOTPNotEnrolled):
		p.Error = h.localizer(c).T("twofactor.code.wrong")
		if err := h.fillStaffTwoFactor(c, st, &p, true); err != nil {
			return err
		}
		return h.renderStaffTwoFactor(c, http.StatusUnprocessableEntity, p)
	case errors.Is(err, auth.ErrTOTPEnabled):
		return redirect(c, staffTwoFactorPath)
	default:
		return err
	}
	p.Enabled, p.Codes, p.Remaining = true, codes, len(codes)
	return h.renderStaffTwoFactor(c, http.StatusOK, p)
}

// disableStaffTwoFactor turns two-factor sign-in off with a fresh code,
// unless the agency requires it.
func (h *Handler) disableStaffTwoFactor(c *gin.Context) error {
	st := staffOf(c)
	if h.box == nil || !st.TOTPEnabled {
		return redirect(c, staffTwoFactorPath)
	}
	p := staffTwoFactorPage{Required: agencyOf(c).RequireStaffTOTP}
	p.Enabled = true
	if p.Required {
		return web.Status(http.StatusForbidden, errors.New("agency: two-factor sign-in is required"))
	}
	err := h.gate.TurnOffSecondFactor(c, h.asker(c, st.Email, st.AgencyID), staffHolder(st), staffSubject(st), c.PostForm("code"))
	var throttled *auth.ThrottledError
	switch {
	case err == nil:
		return redirect(c, staffTwoFactorPath)
	case errors.Is(err, auth.ErrDenied):
		p.Error = h.localizer(c).T("twofactor.code.wrong")
		if err := h.fillStaffTwoFactor(c, st, &p, false); err != nil {
			return err
		}
		return h.renderStaffTwoFactor(c, http.StatusUnprocessableEntity, p)
	case errors.As(err, &throttled):
		retryAfter(c, throttled.Wait)
		return web.Status(http.StatusTooManyRequests, err)
	case errors.Is(err, auth.ErrBusy):
		c.Header("Retry-After", "1")
		return web.Status(http.StatusTooManyRequests, err)
	}
	return err
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
