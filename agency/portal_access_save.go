package agency

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"workrate/access"
	"workrate/auth"
	"workrate/field"
	"workrate/workspace"
)

// savePortalAccess applies the Client Portal form. "Generate" fills the form
// with a new random temporary password without saving; "Save" creates or
// updates the account at once and, when it set a password, shows the
// onboarding message this one time.
func (h *Handler) savePortalAccess(c *gin.Context) error {
	w := workspaceOf(c)
	l := h.localizer(c)
	form := portalForm{
		Enabled:           c.PostForm("enabled") != "",
		LoginEmail:        c.PostForm("login_email"),
		TemporaryPassword: c.PostForm("temporary_password"),
		Tools:             c.PostFormArray("tools"),
		TwoFactor:         c.PostForm("two_factor"),
	}
	_, emailSent := c.GetPostForm("login_email")
	toolsSent := c.PostForm("tools_sent") != ""
	if !emailSent || !toolsSent {
		// A disabled fieldset sends nothing: keep what is saved.
		if acct, err := h.access.Account(c, agencyOf(c).ID, w.ID); err == nil {
			if !emailSent {
				form.LoginEmail = acct.LoginEmail
			}
			if !toolsSent {
				form.Tools = workspace.ToolNames(workspace.ParseTools(acct.Tools))
			}
			if form.TwoFactor == "" {
				form.TwoFactor = acct.TOTPMode
			}
		}
	}

	if c.PostForm("action") == "generate" {
		pw, err := auth.GenerateTemporaryPassword()
		if err != nil {
			return err
		}
		form.TemporaryPassword, form.Enabled = pw, true
		p, err := h.portalPage(c, w, &form)
		if err != nil {
			return err
		}
		return h.renderPortalAccess(c, http.StatusOK, p, "access.flash.generated")
	}

	in := access.Input{Enabled: form.Enabled, TemporaryPassword: form.TemporaryPassword}
	if emailSent {
		in.LoginEmail = &form.LoginEmail
	}
	if toolsSent {
		in.Tools = &form.Tools
	}
	if form.TwoFactor != "" {
		in.TwoFactor = &form.TwoFactor
	}
	res, err := h.access.Save(c, *agencyOf(c), w.ID, accessActor(c), in)
	fe := field.As(err)
	switch {
	case err == nil:
	case fe != nil:
		p, perr := h.portalPage(c, w, &form)
		if perr != nil {
			return perr
		}
		p.Errors[fe.Field] = l.FieldMessage(fe)
		return h.renderPortalAccess(c, http.StatusUnprocessableEntity, p, "")
	case errors.Is(err, auth.ErrBusy):
		return busy(c, err)
	default:
		return err
	}
	p, err := h.portalPage(c, w, nil)
	if err != nil {
		return err
	}
	p.Onboarding = res.Onboarding
	flash := "access.flash.saved"
	if res.Account == nil {
		flash = "access.flash.nothing"
	}
	return h.renderPortalAccess(c, http.StatusOK, p, flash)
}
