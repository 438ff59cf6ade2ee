package operator

import (
	"github.com/gin-gonic/gin"

	"workrate/store"
	"workrate/tenant"
)

// suspendAgency stops serving every host of an agency (its subdomain and
// custom domains, pages and certificates) at once on this instance, and on
// the others within a refresh.
func (h *Handler) suspendAgency(c *gin.Context) error {
	return h.setAgencyStatus(c, tenant.StatusSuspended, "suspended")
}

// reactivateAgency serves an agency's hosts again.
func (h *Handler) reactivateAgency(c *gin.Context) error {
	return h.setAgencyStatus(c, tenant.StatusActive, "reactivated")
}

func (h *Handler) setAgencyStatus(c *gin.Context, status, done string) error {
	id := c.Param("id")
	if !store.ValidID(id) {
		return store.ErrNotFound
	}
	if err := h.tenants.SetStatus(c, id, status); err != nil {
		return err
	}
	if err := h.resolver.Refresh(c); err != nil {
		return err
	}
	return redirect(c, "/operator/agencies?done="+done)
}
