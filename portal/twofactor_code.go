package portal

import (
	"errors"
	"log/slog"
	"math"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"workrate/auth"
	"workrate/store"
	"workrate/web"
)

// codePath is the page that asks for the second factor after the password.
const codePath = "/login/code"

// codePage is the data of the code page.
type codePage struct {
	Next   string
	Error  string
	Action string // where the form posts
}

// recoveryUsedPage tells a client who signed in with a recovery code how many remain.
type recoveryUsedPage struct {
	Remaining int
	Next      string
}

// subject names the client's account for the two-factor store.
func (cl *client) subject() auth.TOTPSubject {
	return auth.TOTPSubject{Kind: auth.KindClient, AgencyID: cl.Account.AgencyID, ID: cl.Account.ID}
}

// showCode asks a client whose password was right for the code of their authenticator.
func (h *Handler) showCode(c *gin.Context) error {
	return h.renderCode(c, http.StatusOK, codePage{Next: safeNext(c.Query("next"))})
}

func (h *Handler) renderCode(c *gin.Context, status int, p codePage) error {
	p.Action = codePath
	c.Header("Cache-Control", "no-store")
	v := web.View{Surface: web.SurfacePortal, Data: p, Title: web.LocalizerOf(c).T("twofactor.code.title")}
	return h.Renderer.HTML(c, status, "portal/twofactor_code", v)
}

// verifyCode checks the second factor: throttled like passwords, each code
// accepted once. A right code ends the waiting session and starts a new one,
// with a new token.
func (h *Handler) verifyCode(c *gin.Context) error {
	cl := clientOf(c)
	l := web.LocalizerOf(c)
	p := codePage{Next: safeNext(c.PostForm("next"))}
	if h.Box == nil {
		slog.ErrorContext(c, "portal: two-factor sign-in cannot complete: WORKRATE_SECRET_KEY is not set", "account", cl.Account.ID)
		p.Error = l.T("twofactor.unavailable")
		return h.renderCode(c, http.StatusServiceUnavailable, p)
	}
	attempt := func(ok bool, reason string) error {
		return h.Auth.RecordAttempt(c, &auth.Attempt{AgencyID: cl.Account.AgencyID, WorkspaceID: cl.Account.WorkspaceID,
			AccountID: cl.Account.ID, Kind: auth.KindClient, Email: cl.Account.LoginEmail, IP: c.ClientIP(),
			Host: cl.Session.Host, Success: ok, Reason: reason, CreatedAt: store.Now()})
	}
	// One code attempt at a time per address and account, so that a burst
	// of guesses cannot pass the throttle before its failures are recorded.
	done, err := h.Hashes.Turn(c, c.ClientIP(), cl.Account.ID)
	if err != nil {
		c.Header("Retry-After", "1")
		p.Error = l.T("portal.login.busy")
		return h.renderCode(c, http.StatusTooManyRequests, p)
	}
	defer done()
	wait, err := h.Hashes.Throttled(c, h.Auth, cl.Account.ID, c.ClientIP())
	if err != nil {
		return err
	}
	if wait > 0 {
		if h.Hashes.RecordThrottled(c.ClientIP(), cl.Account.ID) {
			if err := attempt(false, auth.ReasonThrottled); err != nil {
				return err
			}
		}
		c.Header("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
		p.Error = l.N("portal.login.throttled", max(int(math.Ceil(wait.Minutes())), 1))
		return h.renderCode(c, http.StatusTooManyRequests, p)
	}
	usedRecovery, err := h.Auth.VerifySecondFactor(c, h.Box, cl.subject(), c.PostForm("code"), store.Now())
	switch {
	case err == nil:
	case errors.Is(err, auth.ErrBadCode):
		if err := attempt(false, auth.ReasonBadCode); err != nil {
			return err
		}
		p.Error = l.T("twofactor.code.wrong")
		return h.renderCode(c, http.StatusUnauthorized, p)
	case errors.Is(err, auth.ErrTOTPNotEnrolled):
		// Reset meanwhile: sign in again.
		_ = h.Auth.DeleteSession(c, cl.Token)
		auth.ClearSessionCookie(c.Writer, c.Request)
		c.Redirect(http.StatusSeeOther, "/login")
		return nil
	default:
		return err
	}
	if err := attempt(true, auth.ReasonOK); err != nil {
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
		v := web.View{Surface: web.SurfacePortal, Data: recoveryUsedPage{Remaining: n, Next: next},
			Title: l.T("twofactor.recovery_used.title")}
		return h.Renderer.HTML(c, http.StatusOK, "portal/twofactor_recovery_used", v)
	}
	c.Redirect(http.StatusSeeOther, next)
	return nil
}
