package portal

import (
	"errors"
	"math"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"workrate/access"
	"workrate/auth"
	"workrate/field"
	"workrate/store"
	"workrate/web"
)

// changePassword sets the client's own password; the session starts anew with
// a new token, and every other session of the account ends.
func (h *Handler) changePassword(c *gin.Context) error {
	cl := clientOf(c)
	first := cl.Account.MustChangePassword
	asker := auth.Asker{Kind: auth.KindClient, Email: cl.Account.LoginEmail, IP: c.ClientIP(), Host: cl.Session.Host,
		AgencyID: cl.Account.AgencyID, Agency: cl.Account.AgencyID}
	a, err := h.Access.ChangePassword(c, cl.Account, access.PasswordChange{
		Current: c.PostForm("current_password"), New: c.PostForm("new_password"), Confirm: c.PostForm("confirm_password"),
	}, asker)
	fe := field.As(err)
	var throttled *auth.ThrottledError
	switch {
	case err == nil:
	case fe != nil:
		return h.renderPassword(c, http.StatusUnprocessableEntity, map[string]string{fe.Field: web.LocalizerOf(c).FieldMessage(fe)}, "")
	case errors.As(err, &throttled):
		c.Header("Retry-After", strconv.Itoa(int(math.Ceil(throttled.Wait.Seconds()))))
		msg := web.LocalizerOf(c).N("portal.login.throttled", max(int(math.Ceil(throttled.Wait.Minutes())), 1))
		return h.renderPassword(c, http.StatusTooManyRequests, map[string]string{"current_password": msg}, "")
	case errors.Is(err, auth.ErrBusy):
		c.Header("Retry-After", "1")
		return web.Status(http.StatusTooManyRequests, err)
	case errors.Is(err, store.ErrNotFound):
		// Access changed meanwhile: this session is over.
		auth.ClearSessionCookie(c.Writer, c.Request)
		c.Redirect(http.StatusSeeOther, "/login")
		return nil
	default:
		return err
	}
	token, err := h.Auth.CreateSession(c, &auth.Session{Kind: auth.KindClient, AgencyID: a.AgencyID, SubjectID: a.ID,
		Host: cl.Session.Host, SessionVersion: a.SessionVersion}, h.Sessions)
	if err != nil {
		return err
	}
	auth.SetSessionCookie(c.Writer, c.Request, token)
	cl.Account = a
	if first {
		// Where two-factor sign-in is required, the gate sends the client on to enrol.
		c.Redirect(http.StatusSeeOther, "/")
		return nil
	}
	return h.renderPassword(c, http.StatusOK, nil, web.LocalizerOf(c).T("portal.password.changed"))
}
