package agency

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

// loginPage is the data of staff/login.
type loginPage struct {
	Email string
	Next  string
	Error string
}

// safeStaffNext keeps a post-login redirect inside the back office of this host.
func safeStaffNext(next string) string {
	next = web.SafeNext(next)
	if !strings.HasPrefix(next, "/staff/") {
		return "/staff/workspaces"
	}
	return next
}

// showLogin shows the sign-in form; a signed-in staff member goes on at once.
func (h *Handler) showLogin(c *gin.Context) error {
	if _, _, err := h.loadStaff(c); err == nil {
		return redirect(c, safeStaffNext(c.Query("next")))
	}
	return h.renderLogin(c, http.StatusOK, loginPage{Next: c.Query("next")})
}

func (h *Handler) renderLogin(c *gin.Context, status int, p loginPage) error {
	l := h.localizer(c)
	v := web.View{Title: l.T("staff.login.title"), Surface: web.SurfacePublic, Data: p}
	return h.renderer.HTML(c, status, "staff/login", v)
}

// login checks an email and password. On an agency host it looks in that
// agency; on the platform host across agencies (loginPlatform). Every failure
// looks the same to the user, takes the same hashing effort and is recorded
// for throttling; a throttled account or address gets 429 with Retry-After.
func (h *Handler) login(c *gin.Context) error {
	t := tenant.FromContext(c)
	form := loginPage{Email: strings.TrimSpace(c.PostForm("email")), Next: c.PostForm("next")}
	password := c.PostForm("password")
	if t.Kind == tenant.Platform {
		return h.loginPlatform(c, form, password)
	}
	agencyID := t.Site.Agency.ID
	attempt := auth.Attempt{AgencyID: agencyID, Kind: auth.KindStaff, Email: strings.ToLower(form.Email), IP: c.ClientIP(), Host: t.Host}

	var st *auth.Staff
	if email, err := auth.NormalizeEmail(form.Email); err == nil {
		st, err = h.auth.StaffByEmail(c, agencyID, email)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
	}
	if st != nil {
		attempt.AccountID = st.ID
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
		return h.loginThrottled(c, form, attempt, wait)
	}
	if st == nil {
		if err := h.hashes.VerifyDummy(password); err != nil {
			return h.loginBusy(c, form)
		}
		return h.loginFailed(c, form, attempt, auth.ReasonUnknownEmail)
	}
	ok, err := h.verify(st, password)
	if errors.Is(err, auth.ErrBusy) {
		return h.loginBusy(c, form)
	}
	if !ok {
		return h.loginFailed(c, form, attempt, auth.ReasonWrongPassword)
	}
	if st.Disabled {
		return h.loginFailed(c, form, attempt, auth.ReasonDisabled)
	}
	if st.TOTPEnabled && h.box == nil {
		return h.twoFactorUnavailable(c, form, st)
	}
	if err := h.startSession(c, st, st.TOTPEnabled); err != nil {
		return err
	}
	attempt.Success, attempt.Reason = true, auth.ReasonOK
	h.record(c, attempt)
	return h.afterPassword(c, st, form.Next)
}

// verify checks a password through the hashing pool; only auth.ErrBusy is
// returned as an error, anything else (an overlong password, a damaged hash)
// is a plain mismatch.
func (h *Handler) verify(st *auth.Staff, password string) (bool, error) {
	ok, err := h.hashes.Verify(st.PasswordHash, password)
	if errors.Is(err, auth.ErrBusy) {
		return false, err
	}
	if errors.Is(err, auth.ErrInvalidHash) {
		slog.Error("staff password hash unreadable", "staff", st.ID, "err", err)
	}
	return ok && err == nil, nil
}

// startSession signs st in on this host with a new session token, ending the
// browser's previous session. A session waiting for the second factor opens
// only the code page.
func (h *Handler) startSession(c *gin.Context, st *auth.Staff, secondFactorPending bool) error {
	if old := auth.SessionToken(c.Request); old != "" {
		if err := h.auth.DeleteSession(c, old); err != nil {
			return err
		}
	}
	token, err := h.auth.CreateSession(c, &auth.Session{
		Kind: auth.KindStaff, AgencyID: st.AgencyID, SubjectID: st.ID,
		Host: tenant.FromContext(c).Host, SessionVersion: st.SessionVersion, SecondFactorPending: secondFactorPending,
	}, h.sessions)
	if err != nil {
		return err
	}
	auth.SetSessionCookie(c.Writer, c.Request, token)
	if err := h.auth.TouchStaffLogin(c, st.AgencyID, st.ID); err != nil {
		slog.WarnContext(c, "record staff login", "err", err)
	}
	// A language chosen before signing in becomes the account's, unless it has one.
	if chosen, _ := c.Cookie(langCookie); st.Language == "" && h.bundle.Supported(chosen) {
		if err := h.auth.SetStaffLanguage(c, st.AgencyID, st.ID, chosen); err != nil {
			return err
		}
	}
	return nil
}

// record stores a sign-in attempt; a failure to record is logged, not shown.
func (h *Handler) record(c *gin.Context, a auth.Attempt) {
	if err := h.auth.RecordAttempt(c, &a); err != nil {
		slog.ErrorContext(c, "record sign-in attempt", "err", err)
	}
}

func (h *Handler) loginFailed(c *gin.Context, form loginPage, a auth.Attempt, reason string) error {
	a.Reason = reason
	h.record(c, a)
	form.Error = h.localizer(c).T("staff.login.failed")
	return h.renderLogin(c, http.StatusUnauthorized, form)
}

func (h *Handler) loginThrottled(c *gin.Context, form loginPage, a auth.Attempt, wait time.Duration) error {
	if h.hashes.RecordThrottled(a.IP, a.AccountID) {
		a.Reason = auth.ReasonThrottled
		h.record(c, a)
	}
	form.Error = h.localizer(c).N("staff.login.throttled", retryAfter(c, wait))
	return h.renderLogin(c, http.StatusTooManyRequests, form)
}

func (h *Handler) loginBusy(c *gin.Context, form loginPage) error {
	c.Header("Retry-After", "1")
	form.Error = h.localizer(c).T("staff.login.busy")
	return h.renderLogin(c, http.StatusTooManyRequests, form)
}

// retryAfter sets the Retry-After header for wait and returns it in whole
// minutes, rounded up, for the message.
func retryAfter(c *gin.Context, wait time.Duration) int {
	c.Header("Retry-After", strconv.Itoa(int((wait+time.Second-1)/time.Second)))
	return int((wait + time.Minute - 1) / time.Minute)
}
