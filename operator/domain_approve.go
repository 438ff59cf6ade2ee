package operator

import (
	"github.com/gin-gonic/gin"

	"workrate/store"
	"workrate/tenant"
)

// domainOf returns the domain named in the path, of any agency.
func (h *Handler) domainOf(c *gin.Context) (*tenant.Domain, error) {
	host, err := tenant.NormalizeHost(c.Param("host"))
	if err != nil {
		return nil, store.ErrNotFound
	}
	return h.tenants.DomainByHostname(c, host)
}

// approveDomain marks a domain verified without DNS (the operator checked by
// other means): it is served and its certificate obtained at once.
func (h *Handler) approveDomain(c *gin.Context) error {
	d, err := h.domainOf(c)
	if err != nil {
		return err
	}
	if _, err := h.domains.Approve(c, d); err != nil {
		return err
	}
	return redirect(c, "/operator/domains?done=approved")
}
