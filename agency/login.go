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
	"workrate/visitor"
	"workrate/web"
)

// loginPage is the data of staff/login.
type loginPage struct {
	web.Base
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
	if visitor.Of(c).Kind == auth.KindStaff {
		return redirect(c, safeStaffNext(c.Query("next")))
	}
	return h.renderLogin(c, http.StatusOK, loginPage{Next: c.Query("next")})
}

func (h *Handler) renderLogin(c *gin.Context, status int, p loginPage) error {
	l := h.localizer(c)
	p.Title, p.Surface = l.T("staff.login.title"), web.SurfacePublic
	return h.renderer.HTML(c, status, "staff/login", &p)
}

// login checks an email and password through the gate. On an agency host it
// looks in that agency; on the platform host across agencies (loginPlatform).
// Every failure looks the same to the user, known email or not.
func (h *Handler) login(c *gin.Context) error {
	t := tenant.FromContext(c)
	form := loginPage{Email: strings.TrimSpace(c.PostForm("email")), Next: c.PostForm("next")}
	password := c.PostForm("password")
	if t.Kind == tenant.Platform {
		return h.loginPlatform(c, form, password)
	}
	agencyID := t.Site.Agency.ID
	var holders []auth.Holder
	var st *auth.Staff
	if email, err := auth.NormalizeEmail(form.Email); err == nil {
		st, err = h.auth.StaffByEmail(c, agencyID, email)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if st != nil {
			holders = append(holders, staffHolder(st))
		}
	}
	_, err := h.gate.SignIn(c, h.asker(c, form.Email, agencyID), holders, password, false)
	if err != nil {
		return h.loginRefused(c, form, err)
	}
	return h.signedIn(c, form, st)
}

// asker is a staff sign-in attempt on this request's host.
func (h *Handler) asker(c *gin.Context, email, agencyID string) auth.Asker {
	return auth.Asker{Kind: auth.KindStaff, Email: email, IP: c.ClientIP(), Host: tenant.FromContext(c).Host,
		AgencyID: agencyID, Agency: agencyID}
}

// staffHolder is st as the gate sees it.
func staffHolder(st *auth.Staff) auth.Holder {
	h := auth.Holder{ID: st.ID, AgencyID: st.AgencyID, Hash: st.PasswordHash}
	if st.Disabled {
		h.Refusal = auth.ReasonDisabled
	}
	return h
}

// signedIn starts the session of st, whose password the gate accepted.
func (h *Handler) signedIn(c *gin.Context, form loginPage, st *auth.Staff) error {
	if st.TOTPEnabled && h.box == nil {
		return h.twoFactorUnavailable(c, form, st)
	}
	if err := h.startSession(c, st, st.TOTPEnabled); err != nil {
		return err
	}
	return h.afterPassword(c, st, form.Next)
}

// loginRefused answers a sign-in the gate refused: 401 alike for every
// refusal, 429 when throttled or busy.
func (h *Handler) loginRefused(c *gin.Context, form loginPage, err error) error {
	var throttled *auth.ThrottledError
	switch {
	case errors.Is(err, auth.ErrDenied):
		form.Error = h.localizer(c).T("staff.login.failed")
		return h.renderLogin(c, http.StatusUnauthorized, form)
	case errors.As(err, &throttled):
		form.Error = h.localizer(c).N("staff.login.throttled", retryAfter(c, throttled.Wait))
		return h.renderLogin(c, http.StatusTooManyRequests, form)
	case errors.Is(err, auth.ErrBusy):
		c.Header("Retry-After", "1")
		form.Error = h.localizer(c).T("staff.login.busy")
		return h.renderLogin(c, http.StatusTooManyRequests, form)
	}
	return err
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

// retryAfter sets the Retry-After header for wait and returns it in whole
// minutes, rounded up, for the message.
func retryAfter(c *gin.Context, wait time.Duration) int {
	c.Header("Retry-After", strconv.Itoa(int((wait+time.Second-1)/time.Second)))
	return int((wait + time.Minute - 1) / time.Minute)
}
