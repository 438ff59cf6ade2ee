package api

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"workrate/access"
	"workrate/auth"
	"workrate/store"
	"workrate/workspace"
)

// PortalJSON is a workspace's client portal access in the API.
type PortalJSON struct {
	Enabled            bool       `json:"enabled" api:"required"`
	LoginEmail         string     `json:"login_email" api:"required"`
	Tools              []string   `json:"tools" api:"required"`
	MustChangePassword bool       `json:"must_change_password" api:"required"`
	PasswordExpiresAt  *time.Time `json:"password_expires_at"`
	LastLoginAt        *time.Time `json:"last_login_at"`
	LoginURL           string     `json:"login_url" api:"required"`
	// TwoFactor is "off", "optional" or "required"; TwoFactorEnabled says
	// whether the client has set up an authenticator.
	TwoFactor        string `json:"two_factor" api:"required"`
	TwoFactorEnabled bool   `json:"two_factor_enabled" api:"required"`
	// Set only in the answer to a PUT that set a password: shown this once.
	TemporaryPassword string `json:"temporary_password,omitempty"`
	OnboardingMessage string `json:"onboarding_message,omitempty"`
}

// PortalPutJSON changes a workspace's portal access; absent fields keep
// their value. Give temporary_password or generate_password to create or
// re-enable an account, or to reset its password.
type PortalPutJSON struct {
	Enabled           *bool     `json:"enabled"`
	LoginEmail        *string   `json:"login_email"`
	TemporaryPassword string    `json:"temporary_password"`
	GeneratePassword  bool      `json:"generate_password"`
	Tools             *[]string `json:"tools"`
	TwoFactor         *string   `json:"two_factor"` // "off", "optional" or "required"
}

// PortalEventsJSON lists sign-in attempts and access changes, newest first.
type PortalEventsJSON struct {
	Items []access.Event `json:"items" api:"required"`
}

func (h *Handler) portalAPI() []Route {
	return []Route{
		{Method: http.MethodGet, Path: "/workspaces/:id/portal", Summary: "The workspace's client portal access",
			Response: PortalJSON{}, InWorkspace: true, Handle: h.apiGetPortal},
		{Method: http.MethodPut, Path: "/workspaces/:id/portal", Summary: "Create, update or revoke the workspace's client portal access",
			Request: PortalPutJSON{}, Response: PortalJSON{}, InWorkspace: true, Handle: h.apiPutPortal},
		{Method: http.MethodGet, Path: "/workspaces/:id/portal/events", Summary: "Sign-in attempts and access changes of the workspace's portal, newest first",
			Response: PortalEventsJSON{}, InWorkspace: true, Handle: h.apiPortalEvents},
	}
}

// portalJSON describes an account (nil: none yet) of the request's agency.
func (h *Handler) portalJSON(c *gin.Context, a *auth.PortalAccount) PortalJSON {
	out := PortalJSON{Tools: []string{}, LoginURL: h.access.LoginURL(*agencyOf(c)), TwoFactor: auth.TOTPOff}
	if a != nil {
		out.TwoFactor, out.TwoFactorEnabled = a.TOTPMode, a.TOTPEnabled
		out.Enabled, out.LoginEmail, out.MustChangePassword = a.Enabled, a.LoginEmail, a.MustChangePassword
		out.PasswordExpiresAt, out.LastLoginAt = a.PasswordExpiresAt, a.LastLoginAt
		out.Tools = workspace.ToolNames(workspace.ParseTools(a.Tools))
	}
	return out
}

func (h *Handler) apiGetPortal(c *gin.Context) error {
	w := workspaceOf(c)
	a, err := h.access.Account(c, w.AgencyID, w.ID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	c.JSON(http.StatusOK, h.portalJSON(c, a))
	return nil
}

func (h *Handler) apiPutPortal(c *gin.Context) error {
	w := workspaceOf(c)
	var body PortalPutJSON
	if err := decodeJSON(c, &body); err != nil {
		return err
	}
	in := access.Input{LoginEmail: body.LoginEmail, TemporaryPassword: body.TemporaryPassword,
		GeneratePassword: body.GeneratePassword, Tools: body.Tools, TwoFactor: body.TwoFactor}
	if body.TemporaryPassword != "" && body.GeneratePassword {
		return fieldErr("temporary_password", "give temporary_password or generate_password, not both")
	}
	if body.Enabled != nil {
		in.Enabled = *body.Enabled
	} else if cur, err := h.access.Account(c, w.AgencyID, w.ID); err == nil {
		in.Enabled = cur.Enabled
	} else if !errors.Is(err, store.ErrNotFound) {
		return err
	}
	res, err := h.access.Save(c, *agencyOf(c), w.ID, accessActor(c), in)
	if err != nil {
		return err
	}
	out := h.portalJSON(c, res.Account)
	out.TemporaryPassword, out.OnboardingMessage = res.TemporaryPassword, res.Onboarding
	c.JSON(http.StatusOK, out)
	return nil
}

func (h *Handler) apiPortalEvents(c *gin.Context) error {
	w := workspaceOf(c)
	limit := 100
	if s := c.Query("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 500 {
			return apiErr(http.StatusBadRequest, "invalid_parameter", "limit must be between 1 and 500")
		}
		limit = n
	}
	evs, err := h.access.Events(c, w.AgencyID, w.ID, limit)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, PortalEventsJSON{Items: evs})
	return nil
}
