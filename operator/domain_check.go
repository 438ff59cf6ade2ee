package operator

import "github.com/gin-gonic/gin"

// checkDomain looks at a domain's DNS now; for a verified domain it also
// starts a new certificate attempt (after a failure was fixed).
func (h *Handler) checkDomain(c *gin.Context) error {
	d, err := h.domainOf(c)
	if err != nil {
		return err
	}
	if _, err := h.domains.Check(c, d); err != nil {
		return err
	}
	return redirect(c, "/operator/domains?done=checked")
}
