package agency

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"workrate/auth"
	"workrate/store"
	"workrate/web"
)

// apiKeysPage is the data of staff/api_keys.
type apiKeysPage struct {
	web.Base
	Keys   []auth.APIKey
	Label  string
	NewKey string // the key just created, shown this once
	Errors formErrors
}

func (h *Handler) renderAPIKeys(c *gin.Context, status int, p apiKeysPage) error {
	keys, err := h.auth.APIKeys(c, agencyOf(c).ID)
	if err != nil {
		return err
	}
	p.Keys = keys
	if p.Errors == nil {
		p.Errors = formErrors{}
	}
	p.Base = h.staffBase(c, SectionAPIKeys, "staff.api_keys.title")
	return h.renderer.HTML(c, status, "staff/api_keys", &p)
}

// showAPIKeys lists the agency's API keys with their last use.
func (h *Handler) showAPIKeys(c *gin.Context) error {
	return h.renderAPIKeys(c, http.StatusOK, apiKeysPage{})
}

// createAPIKey makes a key and shows it once, on this answer only (never
// cached, never in a redirect).
func (h *Handler) createAPIKey(c *gin.Context) error {
	l := h.localizer(c)
	p := apiKeysPage{Label: strings.TrimSpace(c.PostForm("label")), Errors: formErrors{}}
	switch {
	case p.Label == "":
		p.Errors["label"] = l.T("field.required")
	case len([]rune(p.Label)) > 80:
		p.Errors["label"] = l.T("field.too_long", "Limit", 80)
	}
	if p.Errors.Any() {
		return h.renderAPIKeys(c, http.StatusUnprocessableEntity, p)
	}
	key, _, err := h.auth.CreateAPIKey(c, agencyOf(c).ID, p.Label, staffOf(c).ID)
	if err != nil {
		return err
	}
	p.NewKey, p.Label = key, ""
	return h.renderAPIKeys(c, http.StatusOK, p)
}

// revokeAPIKey revokes one of the agency's keys at once.
func (h *Handler) revokeAPIKey(c *gin.Context) error {
	id := c.Param("id")
	if !store.ValidID(id) {
		return store.ErrNotFound
	}
	if err := h.auth.RevokeAPIKey(c, agencyOf(c).ID, id); err != nil {
		return err
	}
	return redirect(c, "/staff/settings/api-keys?done=revoked")
}
