package api

import (
	"errors"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"workrate/store"
	"workrate/tenant"
)

// requireAPIKey admits a request with "Authorization: Bearer <key>" whose key
// belongs to this host's agency; on the platform host the key's own agency
// becomes the tenant. Anything else is 401.
func (h *Handler) requireAPIKey(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	scheme, token, _ := strings.Cut(c.GetHeader("Authorization"), " ")
	token = strings.TrimSpace(token)
	if !strings.EqualFold(scheme, "Bearer") || token == "" {
		c.Header("WWW-Authenticate", `Bearer realm="api"`)
		WriteError(c, http.StatusUnauthorized, "unauthorized", "send Authorization: Bearer <API key>")
		return
	}
	k, err := h.keys.APIKeyByToken(c, token)
	if err != nil {
		if !errors.Is(err, store.ErrNotFound) {
			h.fail(c, err)
			return
		}
		c.Header("WWW-Authenticate", `Bearer realm="api", error="invalid_token"`)
		WriteError(c, http.StatusUnauthorized, "invalid_api_key", "the API key is not valid here")
		return
	}
	t := tenant.FromContext(c)
	var site *tenant.Site
	switch t.Kind {
	case tenant.AgencyHost:
		if t.Site.Agency.ID == k.AgencyID {
			site = t.Site
		}
	case tenant.Platform:
		if s := h.resolver.SiteByID(k.AgencyID); s != nil && s.Agency.Active() {
			site = s
			tenant.WithTenant(c, tenant.Tenant{Kind: tenant.Platform, Host: t.Host, Site: site})
		}
	}
	if site == nil {
		c.Header("WWW-Authenticate", `Bearer realm="api", error="invalid_token"`)
		WriteError(c, http.StatusUnauthorized, "invalid_api_key", "the API key is not valid here")
		return
	}
	c.Set(keyKey, k)
	c.Next()
}
