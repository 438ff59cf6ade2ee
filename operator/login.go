package operator

import (
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"workrate/auth"
	"workrate/store"
	"workrate/tenant"
	"workrate/web"
)

// loginPage is the data of operator/login.
type loginPage struct {
	Email string
	Next  string
	Error string
}

// safeNext keeps a post-login redirect inside the console.
func safeNext(next string) string {
	next = web.SafeNext(next)
	if next != "/operator" && !strings.HasPrefix(next, "/operator/") {
		return "/operator/agencies"
	}
	return next
}

// showLogin shows the sign-in form; a signed-in operator goes on at once.
func (h *Handler) showLogin(c *gin.Context) error {
	if _, err := h.loadOperator(c); err == nil {
		return redirect(c, safeNext(c.Query("next")))
	}
	return h.renderLogin(c, http.StatusOK, loginPage{Next: c.Query("next")})
}

// loginBusy answers an attempt that found no free hashing slot or waited too
// long for its turn: 429, try again in a moment.
func (h *Handler) loginBusy(c *gin.Context, form loginPage) error {
	c.Header("Retry-After", "1")
	form.Error = h.localizer(c).T("operator.login.busy")
	return h.renderLogin(c, http.StatusTooManyRequests, form)
}

func (h *Handler) renderLogin(c *gin.Context, status int, p loginPage) error {
	l := h.localizer(c)
	return h.renderer.HTML(c, status, "operator/login", web.View{Title: l.T("operator.login.title"), Surface: web.SurfacePublic, Data: p})
}

// login checks an operator's email and password. Every failure looks the
// same, costs the same hashing effort and is recorded for throttling; a
// throttled account or address gets 429 with Retry-After.
func (h *Handler) login(c *gin.Context) error {
	form := loginPage{Email: strings.TrimSpace(c.PostForm("email")), Next: c.PostForm("next")}
	password := c.PostForm("password")
	host := tenant.FromContext(c).Host
	attempt := auth.Attempt{Kind: auth.KindOperator, Email: strings.ToLower(form.Email), IP: c.ClientIP(), Host: host}

	var op *auth.Operator
	if email, err := auth.NormalizeEmail(form.Email); err == nil {
		op, err = h.auth.OperatorByEmail(c, email)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
	}
	if op != nil {
		attempt.AccountID = op.ID
	}
	done, err := h.hashes.Turn(c, attempt.IP, attempt.AccountID)
	if err != nil {
		return h.loginBusy(c, form)
	}
	defer done()
	wait, err := h.hashes.Throttled(c, h.auth, attempt.AccountID, attempt.IP)
	if err != nil {
		return err
	}
	if wait > 0 {
		if h.hashes.RecordThrottled(attempt.IP, attempt.AccountID) {
			attempt.Reason = auth.ReasonThrottled
			h.record(c, attempt)
		}
		c.Header("Retry-After", strconv.Itoa(int((wait+time.Second-1)/time.Second)))
		form.Error = h.localizer(c).T("operator.login.throttled")
		return h.renderLogin(c, http.StatusTooManyRequests, form)
	}
	var ok bool
	if op == nil {
		err = h.hashes.VerifyDummy(password)
		attempt.Reason = auth.ReasonUnknownEmail
	} else {
		ok, err = h.hashes.Verify(op.PasswordHash, password)
		attempt.Reason = auth.ReasonWrongPassword
	}
	if errors.Is(err, auth.ErrBusy) {
		return h.loginBusy(c, form)
	}
	if !ok || err != nil {
		h.record(c, attempt)
		form.Error = h.localizer(c).T("operator.login.failed")
		return h.renderLogin(c, http.StatusUnauthorized, form)
	}
	if old := auth.SessionToken(c.Request); old != "" {
		if err := h.auth.DeleteSession(c, old); err != nil {
			return err
		}
	}
	token, err := h.auth.CreateSession(c, &auth.Session{
		Kind: auth.KindOperator, SubjectID: op.ID, Host: host, SessionVersion: op.SessionVersion,
	}, h.sessions)
	if err != nil {
		return err
	}
	auth.SetSessionCookie(c.Writer, c.Request, token)
	attempt.Success, attempt.Reason = true, auth.ReasonOK
	h.record(c, attempt)
	return redirect(c, safeNext(form.Next))
}

// record stores a sign-in attempt; a failure to record is logged, not shown.
func (h *Handler) record(c *gin.Context, a auth.Attempt) {
	if err := h.auth.RecordAttempt(c, &a); err != nil {
		slog.ErrorContext(c, "record operator sign-in attempt", "err", err)
	}
}
