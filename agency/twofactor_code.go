package agency

import (
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"workrate/auth"
	"workrate/secondfactor"
	"workrate/web"
)

// Paths of staff two-factor sign-in.
const (
	staffCodePath      = "/staff/login/code"
	staffTwoFactorPath = "/staff/account/two-factor"
)

// staffGate says where a signed-in staff member must go before path opens,
// or "": a session waiting for its second factor reaches only the code page;
// where the agency requires two-factor sign-in, a member without it reaches
// only the enrolment page.
func staffGate(st *auth.Staff, sess *auth.Session, required bool, path string) string {
	switch {
	case sess.SecondFactorPending && path != staffCodePath:
		return staffCodePath
	case sess.SecondFactorPending:
		return ""
	case path == staffCodePath:
		return "/staff/workspaces"
	case required && !st.TOTPEnabled && !strings.HasPrefix(path, staffTwoFactorPath):
		return staffTwoFactorPath
	}
	return ""
}

// afterPassword sends a staff member whose password was right on: to the
// code page when two-factor sign-in is on, else where they were going.
func (h *Handler) afterPassword(c *gin.Context, st *auth.Staff, next string) error {
	if st.TOTPEnabled {
		return redirect(c, staffCodePath+"?next="+url.QueryEscape(safeStaffNext(next)))
	}
	return redirect(c, safeStaffNext(next))
}

// twoFactorUnavailable refuses the sign-in of an enrolled staff member when
// no secret key is configured, and says so in the log.
func (h *Handler) twoFactorUnavailable(c *gin.Context, form loginPage, st *auth.Staff) error {
	slog.ErrorContext(c, "staff with two-factor sign-in cannot complete sign-in: WORKRATE_SECRET_KEY is not set", "staff", st.ID)
	form.Error = h.localizer(c).T("twofactor.unavailable")
	return h.renderLogin(c, http.StatusServiceUnavailable, form)
}

// staffSubject names a staff member for the two-factor store.
func staffSubject(st *auth.Staff) auth.TOTPSubject {
	return auth.TOTPSubject{Kind: auth.KindStaff, AgencyID: st.AgencyID, ID: st.ID}
}

// showStaffCode asks for the code of the staff member's authenticator.
func (h *Handler) showStaffCode(c *gin.Context) error {
	return h.renderStaffCode(c, http.StatusOK, &secondfactor.CodePage{Next: safeStaffNext(c.Query("next"))})
}

func (h *Handler) renderStaffCode(c *gin.Context, status int, p *secondfactor.CodePage) error {
	p.Action = staffCodePath
	c.Header("Cache-Control", "no-store")
	p.Title, p.Surface = h.localizer(c).T("twofactor.code.title"), web.SurfaceStaff
	return h.renderer.HTML(c, status, "portal/twofactor_code", p)
}

// verifyStaffCode checks the second factor: throttled like passwords, each
// code accepted once; a right code starts a new session with a new token.
func (h *Handler) verifyStaffCode(c *gin.Context) error {
	st := staffOf(c)
	l := h.localizer(c)
	p := &secondfactor.CodePage{Next: safeStaffNext(c.PostForm("next"))}
	if h.box == nil {
		slog.ErrorContext(c, "staff two-factor sign-in cannot complete: WORKRATE_SECRET_KEY is not set", "staff", st.ID)
		p.Error = l.T("twofactor.unavailable")
		return h.renderStaffCode(c, http.StatusServiceUnavailable, p)
	}
	usedRecovery, err := h.gate.SecondFactor(c, h.asker(c, st.Email, st.AgencyID), staffHolder(st), staffSubject(st), c.PostForm("code"))
	var throttled *auth.ThrottledError
	switch {
	case err == nil:
	case errors.Is(err, auth.ErrDenied):
		p.Error = l.T("twofactor.code.wrong")
		return h.renderStaffCode(c, http.StatusUnauthorized, p)
	case errors.As(err, &throttled):
		p.Error = l.N("staff.login.throttled", retryAfter(c, throttled.Wait))
		return h.renderStaffCode(c, http.StatusTooManyRequests, p)
	case errors.Is(err, auth.ErrBusy):
		c.Header("Retry-After", "1")
		p.Error = l.T("staff.login.busy")
		return h.renderStaffCode(c, http.StatusTooManyRequests, p)
	case errors.Is(err, auth.ErrTOTPNotEnrolled):
		_ = h.auth.DeleteSession(c, auth.SessionToken(c.Request))
		auth.ClearSessionCookie(c.Writer, c.Request)
		return redirect(c, "/staff/login")
	default:
		return err
	}
	if err := h.startSession(c, st, false); err != nil { // deletes the pending session
		return err
	}
	if usedRecovery {
		n, err := h.auth.RemainingRecoveryCodes(c, staffSubject(st))
		if err != nil {
			return err
		}
		c.Header("Cache-Control", "no-store")
		used := &secondfactor.RecoveryUsedPage{Remaining: n, Next: p.Next}
		used.Title, used.Surface = l.T("twofactor.recovery_used.title"), web.SurfaceStaff
		return h.renderer.HTML(c, http.StatusOK, "portal/twofactor_recovery_used", used)
	}
	return redirect(c, p.Next)
}
