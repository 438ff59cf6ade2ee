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
	kindStaffChoice = "staff_choice"
	// maxPlatformMatch bounds the accounts of one email looked at; the gate
	// verifies them at a constant cost, so it only bounds the query.
	maxPlatformMatch = 100
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

// loginPlatform signs in by email across agencies: the gate verifies the
// password against every active agency's account with that email at a
// constant cost, and nothing about the accounts is shown before a match.
func (h *Handler) loginPlatform(c *gin.Context, form loginPage, password string) error {
	t := tenant.FromContext(c)
	var candidates []auth.Staff
	var holders []auth.Holder
	if email, err := auth.NormalizeEmail(form.Email); err == nil {
		all, err := h.auth.StaffByEmailAnyAgency(c, email, maxPlatformMatch)
		if err != nil {
			return err
		}
		for _, st := range all {
			if site := h.resolver.SiteByID(st.AgencyID); site != nil && site.Agency.Active() {
				candidates = append(candidates, st)
				holders = append(holders, staffHolder(&st))
			}
		}
	}
	opened, err := h.gate.SignIn(c, h.asker(c, form.Email, ""), holders, password, true)
	if err != nil {
		return h.loginRefused(c, form, err)
	}
	var matched []auth.Staff
	for _, o := range opened {
		for _, st := range candidates {
			if st.ID == o.ID {
				matched = append(matched, st)
			}
		}
	}
	if len(matched) == 1 {
		return h.signedIn(c, form, &matched[0])
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
	web.Base
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
	p := &choosePage{Choices: choices, Next: safeStaffNext(c.Query("next"))}
	p.Title, p.Surface = l.T("staff.choose.title"), web.SurfacePublic
	return h.render(c, "staff/login_choose", p)
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
		if err := h.gate.Succeeded(c, h.asker(c, st.Email, ""), staffHolder(st)); err != nil {
			return err
		}
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
