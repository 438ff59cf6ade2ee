package portal

import (
	"errors"
	"log/slog"
	"math"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"workrate/auth"
	"workrate/secondfactor"
	"workrate/web"
)

// codePath is the page that asks for the second factor after the password.
const codePath = "/login/code"

// subject names the client's account for the two-factor store.
func (cl *client) subject() auth.TOTPSubject {
	return auth.TOTPSubject{Kind: auth.KindClient, AgencyID: cl.Account.AgencyID, ID: cl.Account.ID}
}

// asker is the client as the gate sees an attempt of theirs.
func (cl *client) asker(c *gin.Context) auth.Asker {
	return auth.Asker{Kind: auth.KindClient, Email: cl.Account.LoginEmail, IP: c.ClientIP(), Host: cl.Session.Host,
		AgencyID: cl.Account.AgencyID, Agency: cl.Account.AgencyID}
}

// holder is the client's account as the gate sees it.
func (cl *client) holder() auth.Holder {
	return auth.Holder{ID: cl.Account.ID, AgencyID: cl.Account.AgencyID, WorkspaceID: cl.Account.WorkspaceID,
		Hash: cl.Account.PasswordHash}
}

// showCode asks a client whose password was right for the code of their authenticator.
func (h *Handler) showCode(c *gin.Context) error {
	return h.renderCode(c, http.StatusOK, &secondfactor.CodePage{Next: safeNext(c.Query("next"))})
}

func (h *Handler) renderCode(c *gin.Context, status int, p *secondfactor.CodePage) error {
	p.Action = codePath
	c.Header("Cache-Control", "no-store")
	p.Surface, p.Title = web.SurfacePortal, web.LocalizerOf(c).T("twofactor.code.title")
	return h.Renderer.HTML(c, status, "portal/twofactor_code", p)
}

// verifyCode checks the second factor: throttled like passwords, each code
// accepted once. A right code ends the waiting session and starts a new one,
// with a new token.
func (h *Handler) verifyCode(c *gin.Context) error {
	cl := clientOf(c)
	l := web.LocalizerOf(c)
	p := &secondfactor.CodePage{Next: safeNext(c.PostForm("next"))}
	if h.Box == nil {
		slog.ErrorContext(c, "portal: two-factor sign-in cannot complete: WORKRATE_SECRET_KEY is not set", "account", cl.Account.ID)
		p.Error = l.T("twofactor.unavailable")
		return h.renderCode(c, http.StatusServiceUnavailable, p)
	}
	usedRecovery, err := h.secrets.SecondFactor(c, cl.asker(c), cl.holder(), cl.subject(), c.PostForm("code"))
	var throttled *auth.ThrottledError
	switch {
	case err == nil:
	case errors.Is(err, auth.ErrDenied):
		p.Error = l.T("twofactor.code.wrong")
		return h.renderCode(c, http.StatusUnauthorized, p)
	case errors.As(err, &throttled):
		c.Header("Retry-After", strconv.Itoa(int(math.Ceil(throttled.Wait.Seconds()))))
		p.Error = l.N("portal.login.throttled", max(int(math.Ceil(throttled.Wait.Minutes())), 1))
		return h.renderCode(c, http.StatusTooManyRequests, p)
	case errors.Is(err, auth.ErrBusy):
		c.Header("Retry-After", "1")
		p.Error = l.T("portal.login.busy")
		return h.renderCode(c, http.StatusTooManyRequests, p)
	case errors.Is(err, auth.ErrTOTPNotEnrolled):
		// Reset meanwhile: sign in again.
		_ = h.Auth.DeleteSession(c, cl.Token)
		auth.ClearSessionCookie(c.Writer, c.Request)
		c.Redirect(http.StatusSeeOther, "/login")
		return nil
	default:
		return err
	}
	token, err := h.Auth.CreateSession(c, &auth.Session{Kind: auth.KindClient, AgencyID: cl.Account.AgencyID,
		SubjectID: cl.Account.ID, Host: cl.Session.Host, SessionVersion: cl.Account.SessionVersion}, h.Sessions)
	if err != nil {
		return err
	}
	_ = h.Auth.DeleteSession(c, cl.Token)
	auth.SetSessionCookie(c.Writer, c.Request, token)
	next := p.Next
	if next == "" || cl.Account.MustChangePassword {
		next = "/"
	}
	if usedRecovery {
		n, err := h.Auth.RemainingRecoveryCodes(c, cl.subject())
		if err != nil {
			return err
		}
		c.Header("Cache-Control", "no-store")
		p := &secondfactor.RecoveryUsedPage{Remaining: n, Next: next}
		p.Surface, p.Title = web.SurfacePortal, l.T("twofactor.recovery_used.title")
		return h.Renderer.HTML(c, http.StatusOK, "portal/twofactor_recovery_used", p)
	}
	c.Redirect(http.StatusSeeOther, next)
	return nil
}
