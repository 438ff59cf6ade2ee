package portal

import (
	"errors"
	"math"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"workrate/access"
	"workrate/auth"
	"workrate/store"
	"workrate/web"
)

// twoFactorPath is the client's two-factor page: enrolment, status, disabling.
const twoFactorPath = "/two-factor"

// twoFactorPage is the data of the two-factor page.
type twoFactorPage struct {
	auth.Enrolment
	Unavailable bool     // no secret key configured
	Required    bool     // the agency requires two-factor sign-in
	Codes       []string // recovery codes, shown once after confirmation
	Error       string
	Base        string // where the page's forms post: Base+"/start", "/confirm", "/disable"
	Home        string // where "Continue" leads
}

// showTwoFactor shows the client's two-factor sign-in: its state and the way
// to turn it off, or the enrolment (QR code and secret; begun at once when
// the agency requires it).
func (h *Handler) showTwoFactor(c *gin.Context) error {
	cl := clientOf(c)
	if cl.Account.TOTPMode == auth.TOTPOff && !cl.Account.TOTPEnabled {
		h.restoreHost(c)
		h.NotFound(c)
		return nil
	}
	p := twoFactorPage{Required: cl.Account.TOTPMode == auth.TOTPRequired}
	if err := h.fillTwoFactor(c, cl, &p, p.Required && !cl.Preview); err != nil {
		return err
	}
	return h.renderTwoFactor(c, http.StatusOK, p)
}

// fillTwoFactor adds the state of the client's enrolment to p; begin starts
// an enrolment when none is pending. The authenticator lists it under the
// brand's name (the agency's on white-labelled hosts) and the login email.
func (h *Handler) fillTwoFactor(c *gin.Context, cl *client, p *twoFactorPage, begin bool) error {
	if h.Box == nil {
		p.Unavailable = true
		return nil
	}
	b, _ := web.BrandOf(c)
	e, err := h.Auth.EnrolmentOf(c, h.Box, cl.subject(), cl.Account.TOTPEnabled || p.Enabled, begin, b.Name, cl.Account.LoginEmail)
	if err != nil {
		return err
	}
	p.Enrolment = *e
	return nil
}

func (h *Handler) renderTwoFactor(c *gin.Context, status int, p twoFactorPage) error {
	cl := clientOf(c)
	p.Base, p.Home = twoFactorPath, "/"
	c.Header("Cache-Control", "no-store")
	v := web.View{Surface: web.SurfacePortal, Data: p, Preview: cl.Preview, Title: web.LocalizerOf(c).T("twofactor.title")}
	if !p.Required || p.Enabled {
		v.Nav = h.nav(c, cl)
	}
	return h.Renderer.HTML(c, status, "portal/twofactor", v)
}

// startTwoFactor begins (or restarts) the client's enrolment.
func (h *Handler) startTwoFactor(c *gin.Context) error {
	cl := clientOf(c)
	if h.Box == nil || cl.Account.TOTPMode == auth.TOTPOff && !cl.Account.TOTPEnabled {
		return web.Status(http.StatusNotFound, store.ErrNotFound)
	}
	if _, err := h.Auth.BeginTOTPEnrollment(c, h.Box, cl.subject()); err != nil && !errors.Is(err, auth.ErrTOTPEnabled) {
		return err
	}
	c.Redirect(http.StatusSeeOther, twoFactorPath)
	return nil
}

// confirmTwoFactor turns two-factor sign-in on with the first code and shows
// the recovery codes, this once.
func (h *Handler) confirmTwoFactor(c *gin.Context) error {
	cl := clientOf(c)
	if h.Box == nil {
		return web.Status(http.StatusNotFound, store.ErrNotFound)
	}
	p := twoFactorPage{Required: cl.Account.TOTPMode == auth.TOTPRequired}
	codes, err := h.Auth.ConfirmTOTPEnrollment(c, h.Box, cl.subject(), c.PostForm("code"), store.Now())
	switch {
	case err == nil:
	case errors.Is(err, auth.ErrBadCode), errors.Is(err, auth.ErrTOTPNotEnrolled):
		p.Error = web.LocalizerOf(c).T("twofactor.code.wrong")
		if err := h.fillTwoFactor(c, cl, &p, true); err != nil {
			return err
		}
		return h.renderTwoFactor(c, http.StatusUnprocessableEntity, p)
	case errors.Is(err, auth.ErrTOTPEnabled):
		c.Redirect(http.StatusSeeOther, twoFactorPath)
		return nil
	default:
		return err
	}
	if err := h.clientEvent(c, cl, access.ActionTwoFactorOn); err != nil {
		return err
	}
	cl.Account.TOTPEnabled = true
	p.Enabled, p.Codes, p.Remaining = true, codes, len(codes)
	return h.renderTwoFactor(c, http.StatusOK, p)
}

// disableTwoFactor turns two-factor sign-in off with a fresh code, unless the
// agency requires it.
func (h *Handler) disableTwoFactor(c *gin.Context) error {
	cl := clientOf(c)
	if h.Box == nil || !cl.Account.TOTPEnabled {
		c.Redirect(http.StatusSeeOther, twoFactorPath)
		return nil
	}
	p := twoFactorPage{Required: cl.Account.TOTPMode == auth.TOTPRequired}
	p.Enabled = true
	if p.Required {
		return web.Status(http.StatusForbidden, errors.New("portal: two-factor sign-in is required"))
	}
	err := h.secrets.TurnOffSecondFactor(c, cl.asker(c), cl.holder(), cl.subject(), c.PostForm("code"))
	var throttled *auth.ThrottledError
	switch {
	case err == nil:
	case errors.Is(err, auth.ErrDenied):
		p.Error = web.LocalizerOf(c).T("twofactor.code.wrong")
		if err := h.fillTwoFactor(c, cl, &p, false); err != nil {
			return err
		}
		return h.renderTwoFactor(c, http.StatusUnprocessableEntity, p)
	case errors.As(err, &throttled):
		c.Header("Retry-After", strconv.Itoa(int(math.Ceil(throttled.Wait.Seconds()))))
		return web.Status(http.StatusTooManyRequests, err)
	case errors.Is(err, auth.ErrBusy):
		c.Header("Retry-After", "1")
		return web.Status(http.StatusTooManyRequests, err)
	default:
		return err
	}
	if err := h.clientEvent(c, cl, access.ActionTwoFactorOff); err != nil {
		return err
	}
	c.Redirect(http.StatusSeeOther, twoFactorPath)
	return nil
}

// clientEvent records a change the client made in the access log.
func (h *Handler) clientEvent(c *gin.Context, cl *client, action string) error {
	return h.Auth.RecordPortalEvent(c, &auth.PortalEvent{AgencyID: cl.Account.AgencyID, WorkspaceID: cl.Account.WorkspaceID,
		ActorKind: access.ActorClient, ActorID: cl.Account.ID, ActorName: cl.Account.LoginEmail, Action: action, CreatedAt: store.Now()})
}
