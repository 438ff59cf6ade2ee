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
	"workrate/visitor"
	"workrate/web"
)

// loginPage is the data of operator/login.
type loginPage struct {
	web.Base
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
	if visitor.Of(c).Kind == auth.KindOperator {
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
	p.Title, p.Surface = l.T("operator.login.title"), web.SurfacePublic
	return h.renderer.HTML(c, status, "operator/login", &p)
}

// login checks an operator's email and password through the gate. Every
// failure looks the same, known email or not; a throttled attempt gets 429
// with Retry-After.
func (h *Handler) login(c *gin.Context) error {
	form := loginPage{Email: strings.TrimSpace(c.PostForm("email")), Next: c.PostForm("next")}
	host := tenant.FromContext(c).Host
	var op *auth.Operator
	var holders []auth.Holder
	if email, err := auth.NormalizeEmail(form.Email); err == nil {
		op, err = h.auth.OperatorByEmail(c, email)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if op != nil {
			h := auth.Holder{ID: op.ID, Hash: op.PasswordHash}
			if op.Disabled {
				h.Refusal = auth.ReasonDisabled // refused only after the right password, like any other
			}
			holders = append(holders, h)
		}
	}
	asker := auth.Asker{Kind: auth.KindOperator, Email: form.Email, IP: c.ClientIP(), Host: host}
	_, err := h.gate.SignIn(c, asker, holders, c.PostForm("password"), false)
	var throttled *auth.ThrottledError
	switch {
	case err == nil:
	case errors.Is(err, auth.ErrDenied):
		form.Error = h.localizer(c).T("operator.login.failed")
		return h.renderLogin(c, http.StatusUnauthorized, form)
	case errors.As(err, &throttled):
		c.Header("Retry-After", strconv.Itoa(int((throttled.Wait+time.Second-1)/time.Second)))
		form.Error = h.localizer(c).T("operator.login.throttled")
		return h.renderLogin(c, http.StatusTooManyRequests, form)
	case errors.Is(err, auth.ErrBusy):
		return h.loginBusy(c, form)
	default:
		return err
	}
	if op.TOTPEnabled && h.box == nil {
		slog.ErrorContext(c, "operator with two-factor sign-in cannot complete sign-in: WORKRATE_SECRET_KEY is not set", "operator", op.ID)
		form.Error = h.localizer(c).T("twofactor.unavailable")
		return h.renderLogin(c, http.StatusServiceUnavailable, form)
	}
	if err := h.startSession(c, op, op.TOTPEnabled); err != nil {
		return err
	}
	return h.afterPassword(c, op, form.Next)
}
