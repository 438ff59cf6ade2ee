package agency

import (
	"errors"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"workrate/auth"
	"workrate/web"
)

// accountPage is the data of staff/account: the signed-in member's profile
// and password forms.
type accountPage struct {
	web.Base
	Agency    string
	Email     string
	Role      string
	Name      string
	Language  string
	Errors    formErrors
	PwErrors  formErrors
	TwoFactor bool // two-factor sign-in is on
}

func (h *Handler) accountPage(c *gin.Context) accountPage {
	st := staffOf(c)
	return accountPage{Agency: agencyOf(c).Name, Email: st.Email, Role: st.Role, Name: st.Name, Language: st.Language,
		Errors: formErrors{}, PwErrors: formErrors{}, TwoFactor: st.TOTPEnabled}
}

func (h *Handler) renderAccount(c *gin.Context, status int, p accountPage) error {
	p.Base = h.staffBase(c, SectionAccount, "staff.account.title")
	return h.renderer.HTML(c, status, "staff/account", &p)
}

// showAccount shows the member's own profile, language and password forms.
func (h *Handler) showAccount(c *gin.Context) error {
	return h.renderAccount(c, http.StatusOK, h.accountPage(c))
}

// updateAccount saves the member's name and preferred language.
func (h *Handler) updateAccount(c *gin.Context) error {
	st := staffOf(c)
	l := h.localizer(c)
	p := h.accountPage(c)
	p.Name, p.Language = strings.TrimSpace(c.PostForm("name")), c.PostForm("language")
	if p.Language != "" && !h.bundle.Supported(p.Language) {
		p.Errors["language"] = l.T("field.invalid_choice")
	}
	if p.Name == "" {
		p.Errors["name"] = l.T("field.required")
	} else if len([]rune(p.Name)) > 120 {
		p.Errors["name"] = l.T("field.too_long", "Limit", 120)
	}
	if p.Errors.Any() {
		return h.renderAccount(c, http.StatusUnprocessableEntity, p)
	}
	if err := h.auth.SetStaffProfile(c, st.AgencyID, st.ID, p.Name, p.Language); err != nil {
		return err
	}
	return redirect(c, "/staff/account?done=saved")
}

// changePassword changes the member's own password after checking the
// current one (throttled like sign-in). Every other session of the account
// ends; this browser gets a new session token.
func (h *Handler) changePassword(c *gin.Context) error {
	st := staffOf(c)
	l := h.localizer(c)
	p := h.accountPage(c)
	current, next, confirm := c.PostForm("current_password"), c.PostForm("new_password"), c.PostForm("confirm_password")
	err := h.gate.Current(c, h.asker(c, st.Email, st.AgencyID), staffHolder(st), current)
	var throttled *auth.ThrottledError
	switch {
	case err == nil:
	case errors.Is(err, auth.ErrDenied):
		p.PwErrors["current_password"] = l.T("staff.error.current_password")
	case errors.As(err, &throttled):
		p.PwErrors["current_password"] = l.N("staff.login.throttled", retryAfter(c, throttled.Wait))
		return h.renderAccount(c, http.StatusTooManyRequests, p)
	case errors.Is(err, auth.ErrBusy):
		c.Header("Retry-After", "1")
		p.PwErrors["form"] = l.T("staff.login.busy")
		return h.renderAccount(c, http.StatusTooManyRequests, p)
	default:
		return err
	}
	if err := auth.ValidateNewPassword(next); err != nil {
		p.PwErrors["new_password"] = passwordError(l, err)
	} else if next != confirm {
		p.PwErrors["confirm_password"] = l.T("field.password_mismatch")
	}
	if p.PwErrors.Any() {
		return h.renderAccount(c, http.StatusUnprocessableEntity, p)
	}
	hash, err := h.hashes.Hash(next)
	if errors.Is(err, auth.ErrBusy) {
		c.Header("Retry-After", "1")
		p.PwErrors["form"] = l.T("staff.login.busy")
		return h.renderAccount(c, http.StatusTooManyRequests, p)
	}
	if err != nil {
		return err
	}
	version, err := h.auth.SetStaffPassword(c, st.AgencyID, st.ID, hash)
	if err != nil {
		return err
	}
	st.SessionVersion, st.PasswordHash = version, hash
	if err := h.gate.Tag(c, staffHolder(st), st.Email, next); err != nil && !errors.Is(err, auth.ErrBusy) {
		return err
	}
	if err := h.startSession(c, st, false); err != nil {
		return err
	}
	return redirect(c, "/staff/account?done=password_changed")
}
