package operator

import (
	"errors"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"workrate/auth"
	"workrate/store"
	"workrate/tenant"
	"workrate/web"
)

// Paths of operators' two-factor sign-in.
const (
	codePath      = "/operator/login/code"
	twoFactorPath = "/operator/two-factor"
)

// codePage is the data of the code page (template portal/twofactor_code).
type codePage struct {
	Next   string
	Error  string
	Action string
}

// twoFactorPage is the data of the operator's two-factor page (template portal/twofactor).
type twoFactorPage struct {
	auth.Enrolment
	Unavailable bool
	Required    bool
	Codes       []string
	Error       string
	Base        string
	Home        string
}

// subject names an operator for the two-factor store.
func subject(op *auth.Operator) auth.TOTPSubject {
	return auth.TOTPSubject{Kind: auth.KindOperator, ID: op.ID}
}

// operatorGate says where a signed-in operator must go before path opens, or
// "": a session waiting for its second factor reaches only the code page;
// where the platform requires two-factor sign-in (WORKRATE_OPERATOR_2FA), an
// operator without it reaches only the enrolment page.
func (h *Handler) operatorGate(op *auth.Operator, sess *auth.Session, path string) string {
	switch {
	case sess.SecondFactorPending && path != codePath:
		return codePath
	case sess.SecondFactorPending:
		return ""
	case path == codePath:
		return "/operator/agencies"
	case h.requireTwoFactor && !op.TOTPEnabled && !strings.HasPrefix(path, twoFactorPath):
		return twoFactorPath
	}
	return ""
}

// showCode asks an operator whose password was right for their code.
func (h *Handler) showCode(c *gin.Context) error {
	return h.renderCode(c, http.StatusOK, codePage{Next: safeNext(c.Query("next"))})
}

func (h *Handler) renderCode(c *gin.Context, status int, p codePage) error {
	p.Action = codePath
	c.Header("Cache-Control", "no-store")
	v := web.View{Title: h.localizer(c).T("twofactor.code.title"), Surface: web.SurfaceOperator, Data: p}
	return h.renderer.HTML(c, status, "portal/twofactor_code", v)
}

// verifyCode checks the second factor through the gate; a right code starts
// a new session with a new token.
func (h *Handler) verifyCode(c *gin.Context) error {
	op, sess := operatorOf(c), sessionOf(c)
	l := h.localizer(c)
	p := codePage{Next: safeNext(c.PostForm("next"))}
	asker := auth.Asker{Kind: auth.KindOperator, Email: op.Email, IP: c.ClientIP(), Host: sess.Host}
	_, err := h.gate.SecondFactor(c, asker, auth.Holder{ID: op.ID}, subject(op), c.PostForm("code"))
	var throttled *auth.ThrottledError
	switch {
	case err == nil:
	case errors.Is(err, auth.ErrDenied):
		p.Error = l.T("twofactor.code.wrong")
		return h.renderCode(c, http.StatusUnauthorized, p)
	case errors.As(err, &throttled):
		c.Header("Retry-After", strconv.Itoa(int(math.Ceil(throttled.Wait.Seconds()))))
		p.Error = l.T("operator.login.throttled")
		return h.renderCode(c, http.StatusTooManyRequests, p)
	case errors.Is(err, auth.ErrBusy):
		c.Header("Retry-After", "1")
		p.Error = l.T("operator.login.busy")
		return h.renderCode(c, http.StatusTooManyRequests, p)
	case errors.Is(err, auth.ErrNoSecretKey):
		p.Error = l.T("twofactor.unavailable")
		return h.renderCode(c, http.StatusServiceUnavailable, p)
	case errors.Is(err, auth.ErrTOTPNotEnrolled):
		return h.signOut(c, "/operator/login")
	default:
		return err
	}
	if err := h.startSession(c, op, false); err != nil {
		return err
	}
	return redirect(c, p.Next)
}

// startSession signs op in on this host with a new session token, ending
// the browser's previous session; a session owing its second factor opens
// only the code page.
func (h *Handler) startSession(c *gin.Context, op *auth.Operator, secondFactorPending bool) error {
	if old := auth.SessionToken(c.Request); old != "" {
		if err := h.auth.DeleteSession(c, old); err != nil {
			return err
		}
	}
	token, err := h.auth.CreateSession(c, &auth.Session{
		Kind: auth.KindOperator, SubjectID: op.ID, Host: tenant.FromContext(c).Host, SessionVersion: op.SessionVersion,
		SecondFactorPending: secondFactorPending,
	}, h.sessions)
	if err != nil {
		return err
	}
	auth.SetSessionCookie(c.Writer, c.Request, token)
	return nil
}

// afterPassword sends an operator whose password was right on: to the code
// page when two-factor sign-in is on, else where they were going.
func (h *Handler) afterPassword(c *gin.Context, op *auth.Operator, next string) error {
	if op.TOTPEnabled {
		return redirect(c, codePath+"?next="+url.QueryEscape(safeNext(next)))
	}
	return redirect(c, safeNext(next))
}

// signOut ends the session and sends the browser to path.
func (h *Handler) signOut(c *gin.Context, path string) error {
	if tok := auth.SessionToken(c.Request); tok != "" {
		if err := h.auth.DeleteSession(c, tok); err != nil {
			return err
		}
	}
	auth.ClearSessionCookie(c.Writer, c.Request)
	return redirect(c, path)
}

// showTwoFactor shows the operator's two-factor sign-in: its state and the
// way to turn it off, or the enrolment (begun at once when it is required).
func (h *Handler) showTwoFactor(c *gin.Context) error {
	p := twoFactorPage{Required: h.requireTwoFactor}
	if err := h.fillTwoFactor(c, &p, p.Required); err != nil {
		return err
	}
	return h.renderTwoFactor(c, http.StatusOK, p)
}

// fillTwoFactor adds the operator's enrolment to p; begin starts one when
// none is pending.
func (h *Handler) fillTwoFactor(c *gin.Context, p *twoFactorPage, begin bool) error {
	op := operatorOf(c)
	if h.box == nil {
		p.Unavailable = true
		return nil
	}
	b, _ := web.BrandOf(c)
	e, err := h.auth.EnrolmentOf(c, h.box, subject(op), op.TOTPEnabled, begin, b.Name, op.Email)
	if err != nil {
		return err
	}
	p.Enrolment = *e
	return nil
}

func (h *Handler) renderTwoFactor(c *gin.Context, status int, p twoFactorPage) error {
	p.Base, p.Home = twoFactorPath, "/operator/agencies"
	c.Header("Cache-Control", "no-store")
	l := h.localizer(c)
	v := web.View{Title: l.T("twofactor.title"), Surface: web.SurfaceOperator, Data: p}
	if !p.Required || p.Enabled {
		v.Nav = h.nav(c, "")
	} else {
		v.Flash = l.T("twofactor.operator.required_notice")
	}
	return h.renderer.HTML(c, status, "portal/twofactor", v)
}

// startTwoFactor begins (or restarts) the operator's enrolment.
func (h *Handler) startTwoFactor(c *gin.Context) error {
	if h.box == nil {
		return redirect(c, twoFactorPath)
	}
	if _, err := h.auth.BeginTOTPEnrollment(c, h.box, subject(operatorOf(c))); err != nil && !errors.Is(err, auth.ErrTOTPEnabled) {
		return err
	}
	return redirect(c, twoFactorPath)
}

// confirmTwoFactor turns two-factor sign-in on with the first code and
// shows the recovery codes, this once.
func (h *Handler) confirmTwoFactor(c *gin.Context) error {
	op := operatorOf(c)
	if h.box == nil {
		return redirect(c, twoFactorPath)
	}
	p := twoFactorPage{Required: h.requireTwoFactor}
	codes, err := h.auth.ConfirmTOTPEnrollment(c, h.box, subject(op), c.PostForm("code"), store.Now())
	switch {
	case err == nil:
	case errors.Is(err, auth.ErrBadCode), errors.Is(err, auth.ErrTOTPNotEnrolled):
		p.Error = h.localizer(c).T("twofactor.code.wrong")
		if err := h.fillTwoFactor(c, &p, true); err != nil {
			return err
		}
		return h.renderTwoFactor(c, http.StatusUnprocessableEntity, p)
	case errors.Is(err, auth.ErrTOTPEnabled):
		return redirect(c, twoFactorPath)
	default:
		return err
	}
	p.Enabled, p.Codes, p.Remaining = true, codes, len(codes)
	return h.renderTwoFactor(c, http.StatusOK, p)
}

// disableTwoFactor turns two-factor sign-in off with a fresh code, checked
// by the gate, unless the platform requires it.
func (h *Handler) disableTwoFactor(c *gin.Context) error {
	op, sess := operatorOf(c), sessionOf(c)
	if h.box == nil || !op.TOTPEnabled {
		return redirect(c, twoFactorPath)
	}
	if h.requireTwoFactor {
		return web.Status(http.StatusForbidden, errors.New("operator: two-factor sign-in is required"))
	}
	asker := auth.Asker{Kind: auth.KindOperator, Email: op.Email, IP: c.ClientIP(), Host: sess.Host}
	err := h.gate.TurnOffSecondFactor(c, asker, auth.Holder{ID: op.ID}, subject(op), c.PostForm("code"))
	var throttled *auth.ThrottledError
	switch {
	case err == nil:
		return redirect(c, twoFactorPath)
	case errors.Is(err, auth.ErrDenied):
		p := twoFactorPage{Error: h.localizer(c).T("twofactor.code.wrong")}
		if err := h.fillTwoFactor(c, &p, false); err != nil {
			return err
		}
		return h.renderTwoFactor(c, http.StatusUnprocessableEntity, p)
	case errors.As(err, &throttled):
		c.Header("Retry-After", strconv.Itoa(int(math.Ceil(throttled.Wait.Seconds()))))
		return web.Status(http.StatusTooManyRequests, err)
	case errors.Is(err, auth.ErrBusy):
		c.Header("Retry-After", "1")
		return web.Status(http.StatusTooManyRequests, err)
	}
	return err
}
