package agency

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"workrate/auth"
	"workrate/scheme"
	"workrate/store"
	"workrate/tenant"
	"workrate/web"
)

// On the platform host one email may have accounts in several agencies. After
// the password matched more than one, the browser holds a short-lived
// "choice" session (in the database like every session, so any instance can
// answer) that lists only the accounts whose password was verified.
const (
	kindStaffChoice  = "staff_choice"
	maxPlatformMatch = 10
)

// choiceTTL bounds the choice session: a few minutes to pick.
const choiceTTL = 10 * time.Minute

func choicePolicy() auth.SessionPolicy { return auth.SessionPolicy{Idle: choiceTTL, Max: choiceTTL} }

func choiceCookieName(tls bool) string {
	if tls {
		return "__Host-staff_choice"
	}
	return "staff_choice"
}

// loginPlatform signs in by email across agencies: unknown emails cost a dummy
// verification, each candidate's password is verified (throttled accounts are
// skipped), and nothing about the candidates is shown before a match.
func (h *Handler) loginPlatform(c *gin.Context, form loginPage, password string) error {
	t := tenant.FromContext(c)
	base := auth.Attempt{Kind: auth.KindStaff, Email: strings.ToLower(form.Email), IP: c.ClientIP(), Host: t.Host}
	var candidates []auth.Staff
	if email, err := auth.NormalizeEmail(form.Email); err == nil {
		all, err := h.auth.StaffByEmailAnyAgency(c, email, maxPlatformMatch)
		if err != nil {
			return err
		}
		for _, st := range all {
			if site := h.resolver.SiteByID(st.AgencyID); site != nil && site.Agency.Active() {
				candidates = append(candidates, st)
			}
		}
	}
	ids := make([]string, 0, len(candidates))
	for _, st := range candidates {
		ids = append(ids, st.ID)
	}
	done, err := h.hashes.Turn(c, base.IP, ids...)
	if err != nil {
		return h.loginBusy(c, form)
	}
	defer done()
	wait, err := h.hashes.Throttled(c, h.auth, "", base.IP)
	if err != nil {
		return err
	}
	if wait > 0 {
		return h.loginThrottled(c, form, base, wait)
	}
	if len(candidates) == 0 {
		if err := h.hashes.VerifyDummy(password); err != nil {
			return h.loginBusy(c, form)
		}
		return h.loginFailed(c, form, base, auth.ReasonUnknownEmail)
	}
	var matched []auth.Staff
	var throttled time.Duration
	for _, st := range candidates {
		a := base
		a.AgencyID, a.AccountID = st.AgencyID, st.ID
		w, err := h.hashes.Throttled(c, h.auth, st.ID, "")
		if err != nil {
			return err
		}
		if w > 0 {
			throttled = max(throttled, w)
			continue
		}
		ok, err := h.verify(&st, password)
		if err != nil {
			return h.loginBusy(c, form)
		}
		switch {
		case !ok:
			a.Reason = auth.ReasonWrongPassword
			h.record(c, a)
		case st.Disabled:
			a.Reason = auth.ReasonDisabled
			h.record(c, a)
		default:
			matched = append(matched, st)
		}
	}
	switch {
	case len(matched) == 0 && throttled > 0:
		return h.loginThrottled(c, form, base, throttled)
	case len(matched) == 0:
		form.Error = h.localizer(c).T("staff.login.failed")
		return h.renderLogin(c, http.StatusUnauthorized, form)
	case len(matched) == 1:
		st := matched[0]
		if st.TOTPEnabled && h.box == nil {
			return h.twoFactorUnavailable(c, form, &st)
		}
		if err := h.startSession(c, &st, st.TOTPEnabled); err != nil {
			return err
		}
		base.AgencyID, base.AccountID, base.Success, base.Reason = st.AgencyID, st.ID, true, auth.ReasonOK
		h.record(c, base)
		return h.afterPassword(c, &st, form.Next)
	}
	pairs := make([]string, 0, len(matched))
	for _, st := range matched {
		pairs = append(pairs, st.AgencyID+":"+st.ID)
	}
	token, err := h.auth.CreateSession(c, &auth.Session{Kind: kindStaffChoice, SubjectID: strings.Join(pairs, ","), Host: t.Host}, choicePolicy())
	if err != nil {
		return err
	}
	http.SetCookie(c.Writer, &http.Cookie{
		Name: choiceCookieName(scheme.Secure(c.Request)), Value: token, Path: "/", MaxAge: int(choiceTTL / time.Second),
		HttpOnly: true, Secure: scheme.Secure(c.Request), SameSite: http.SameSiteLaxMode,
	})
	return redirect(c, "/staff/login/choose?next="+url.QueryEscape(safeStaffNext(form.Next)))
}

// choice is one agency the user may continue into.
type choice struct {
	AgencyID string
	Name     string
	staffID  string
}

// choosePage is the data of staff/login_choose.
type choosePage struct {
	Choices []choice
	Next    string
}

// loadChoices reads the browser's choice session.
func (h *Handler) loadChoices(c *gin.Context) (string, []choice, error) {
	ck, err := c.Request.Cookie(choiceCookieName(scheme.Secure(c.Request)))
	if err != nil || tenant.FromContext(c).Kind != tenant.Platform {
		return "", nil, store.ErrNotFound
	}
	sess, err := h.auth.SessionByToken(c, ck.Value, tenant.FromContext(c).Host, choicePolicy())
	if err != nil {
		return "", nil, err
	}
	if sess.Kind != kindStaffChoice {
		return "", nil, store.ErrNotFound
	}
	var out []choice
	for _, pair := range strings.Split(sess.SubjectID, ",") {
		agencyID, staffID, ok := strings.Cut(pair, ":")
		site := h.resolver.SiteByID(agencyID)
		if !ok || site == nil || !site.Agency.Active() {
			continue
		}
		out = append(out, choice{AgencyID: agencyID, Name: site.Agency.Name, staffID: staffID})
	}
	return ck.Value, out, nil
}

// showChoose lists the agencies whose account matched the password.
func (h *Handler) showChoose(c *gin.Context) error {
	_, choices, err := h.loadChoices(c)
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return redirect(c, "/staff/login")
		}
		return err
	}
	l := h.localizer(c)
	v := web.View{Title: l.T("staff.choose.title"), Surface: web.SurfacePublic,
		Data: choosePage{Choices: choices, Next: safeStaffNext(c.Query("next"))}}
	return h.render(c, "staff/login_choose", v)
}

// choose signs in to the chosen agency's account, re-checked now.
func (h *Handler) choose(c *gin.Context) error {
	token, choices, err := h.loadChoices(c)
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return redirect(c, "/staff/login")
		}
		return err
	}
	want := c.PostForm("agency")
	for _, ch := range choices {
		if ch.AgencyID != want {
			continue
		}
		st, err := h.auth.StaffByID(c, ch.AgencyID, ch.staffID)
		if errors.Is(err, store.ErrNotFound) || err == nil && st.Disabled {
			break
		}
		if err != nil {
			return err
		}
		if err := h.auth.DeleteSession(c, token); err != nil {
			return err
		}
		h.clearChoice(c)
		if st.TOTPEnabled && h.box == nil {
			return h.twoFactorUnavailable(c, loginPage{}, st)
		}
		if err := h.startSession(c, st, st.TOTPEnabled); err != nil {
			return err
		}
		t := tenant.FromContext(c)
		h.record(c, auth.Attempt{AgencyID: st.AgencyID, AccountID: st.ID, Kind: auth.KindStaff, Email: st.Email,
			IP: c.ClientIP(), Host: t.Host, Success: true, Reason: auth.ReasonOK})
		return h.afterPassword(c, st, c.PostForm("next"))
	}
	return web.ErrNotFound
}

func (h *Handler) clearChoice(c *gin.Context) {
	http.SetCookie(c.Writer, &http.Cookie{
		Name: choiceCookieName(scheme.Secure(c.Request)), Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: scheme.Secure(c.Request), SameSite: http.SameSiteLaxMode,
	})
}
