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
	"workrate/secondfactor"
	"workrate/tenant"
	"workrate/web"
)

// Paths of operators' two-factor sign-in.
const (
	codePath      = "/operator/login/code"
	twoFactorPath = "/operator/two-factor"
)

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
	return h.renderCode(c, http.StatusOK, &secondfactor.CodePage{Next: safeNext(c.Query("next"))})
}

func (h *Handler) renderCode(c *gin.Context, status int, p *secondfactor.CodePage) error {
	p.Action = codePath
	c.Header("Cache-Control", "no-store")
	p.Title, p.Surface = h.localizer(c).T("twofactor.code.title"), web.SurfaceOperator
	return h.renderer.HTML(c, status, "portal/twofactor_code", p)
}

// verifyCode checks the second factor through the gate; a right code starts
// a new session with a new token.
func (h *Handler) verifyCode(c *gin.Context) error {
	op, sess := operatorOf(c), sessionOf(c)
	l := h.localizer(c)
	p := &secondfactor.CodePage{Next: safeNext(c.PostForm("next"))}
	asker := auth.Asker{Kind: auth.KindOperator, Email: op.Email, IP: c.ClientIP(), Host: sess.Host}
	usedRecovery, err := h.gate.SecondFactor(c, asker, auth.Holder{ID: op.ID}, subject(op), c.PostForm("code"))
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
	if usedRecovery {
		n, err := h.auth.RemainingRecoveryCodes(c, subject(op))
		if err != nil {
			return err
		}
		c.Header("Cache-Control", "no-store")
		used := &secondfactor.RecoveryUsedPage{Remaining: n, Next: p.Next}
		used.Title, used.Surface = l.T("twofactor.recovery_used.title"), web.SurfaceOperator
		return h.renderer.HTML(c, http.StatusOK, "portal/twofactor_recovery_used", used)
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

// twoFactorPages serves the operator's two-factor page at twoFactorPath, in
// the console's frame; where the platform requires two-factor sign-in,
// nothing else opens before the enrolment.
func (h *Handler) twoFactorPages() *secondfactor.Pages {
	return &secondfactor.Pages{
		Store: h.auth, Gate: h.gate, Box: h.box, Base: twoFactorPath, Home: "/operator/agencies",
		Account: func(c *gin.Context) secondfactor.Account {
			op, sess := operatorOf(c), sessionOf(c)
			return secondfactor.Account{Subject: subject(op), Holder: auth.Holder{ID: op.ID},
				Asker: auth.Asker{Kind: auth.KindOperator, Email: op.Email, IP: c.ClientIP(), Host: sess.Host},
				Email: op.Email, Enabled: op.TOTPEnabled, Required: h.requireTwoFactor, Begin: h.requireTwoFactor}
		},
		Render: func(c *gin.Context, status int, p *secondfactor.Page) error {
			l := h.localizer(c)
			p.Title, p.Surface = l.T("twofactor.title"), web.SurfaceOperator
			if !p.Required || p.Enabled {
				p.Nav = h.nav(c, twoFactorPath)
			} else {
				p.Flash = l.T("twofactor.operator.required_notice")
			}
			return h.renderer.HTML(c, status, "portal/twofactor", p)
		},
	}
}
