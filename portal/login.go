package portal

import (
	"errors"
	"log/slog"
	"math"
	"net/http"
	"net/url"
	"strconv"

	"github.com/gin-gonic/gin"

	"workrate/access"
	"workrate/auth"
	"workrate/tenant"
	"workrate/web"
)

// login signs a client in. Every failure the client may not learn more
// about reads "invalid email or password"; an expired temporary password
// says whom to ask for a new one; throttling and a busy server answer 429.
func (h *Handler) login(c *gin.Context) error {
	t := tenant.FromContext(c)
	l := web.LocalizerOf(c)
	p := loginPage{Email: c.PostForm("email"), Next: safeNext(c.PostForm("next"))}
	if len(p.Email) > 254 {
		p.Email = ""
	}
	req := access.LoginRequest{Email: c.PostForm("email"), Password: c.PostForm("password"), IP: c.ClientIP(), Host: t.Host}
	if t.Kind == tenant.AgencyHost && t.Site != nil {
		agency := t.Site.Agency
		req.Agency = &agency
	}
	a, err := h.Access.Login(c, req)
	var expired *access.ExpiredError
	var throttled *auth.ThrottledError
	switch {
	case err == nil:
	case errors.Is(err, access.ErrPasswordTooLong):
		p.Error = l.T("portal.login.invalid")
		return h.renderLogin(c, http.StatusBadRequest, p)
	case errors.Is(err, access.ErrInvalidLogin):
		p.Error = l.T("portal.login.invalid")
		return h.renderLogin(c, http.StatusUnauthorized, p)
	case errors.As(err, &expired):
		p.Error = l.T("portal.login.expired", "Agency", expired.Agency.Name)
		return h.renderLogin(c, http.StatusUnauthorized, p)
	case errors.As(err, &throttled):
		minutes := int(math.Ceil(throttled.Wait.Minutes()))
		c.Header("Retry-After", strconv.Itoa(int(math.Ceil(throttled.Wait.Seconds()))))
		p.Error = l.N("portal.login.throttled", max(minutes, 1))
		return h.renderLogin(c, http.StatusTooManyRequests, p)
	case errors.Is(err, auth.ErrBusy):
		c.Header("Retry-After", "1")
		p.Error = l.T("portal.login.busy")
		return h.renderLogin(c, http.StatusTooManyRequests, p)
	default:
		return err
	}

	if a.TOTPEnabled && h.Box == nil {
		slog.ErrorContext(c, "portal: an account with two-factor sign-in cannot complete sign-in: WORKRATE_SECRET_KEY is not set", "account", a.ID)
		p.Error = l.T("twofactor.unavailable")
		return h.renderLogin(c, http.StatusServiceUnavailable, p)
	}
	// A new session, with a new token, for this host and this agency only;
	// with two-factor sign-in on, it opens only the code page until the code is right.
	if old := auth.SessionToken(c.Request); old != "" {
		_ = h.Auth.DeleteSession(c, old)
	}
	token, err := h.Auth.CreateSession(c, &auth.Session{Kind: auth.KindClient, AgencyID: a.AgencyID, SubjectID: a.ID,
		Host: t.Host, SessionVersion: a.SessionVersion, SecondFactorPending: a.TOTPEnabled}, h.Sessions)
	if err != nil {
		return err
	}
	auth.SetSessionCookie(c.Writer, c.Request, token)
	if chosen, _ := c.Cookie("lang"); a.Language == "" && h.Bundle.Supported(chosen) {
		if err := h.Auth.SetPortalLanguage(c, a.AgencyID, a.ID, chosen); err != nil {
			return err
		}
	}
	switch {
	case a.TOTPEnabled:
		target := codePath
		if p.Next != "" {
			target += "?next=" + url.QueryEscape(p.Next)
		}
		c.Redirect(http.StatusSeeOther, target)
	case a.MustChangePassword:
		c.Redirect(http.StatusSeeOther, "/password")
	case p.Next != "":
		c.Redirect(http.StatusSeeOther, p.Next)
	default:
		c.Redirect(http.StatusSeeOther, "/")
	}
	return nil
}
