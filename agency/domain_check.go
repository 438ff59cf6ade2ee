package agency

import "github.com/gin-gonic/gin"

// checkDomain looks at a domain's DNS now ("Check again"); for a verified
// domain it also asks for its certificate again.
func (h *Handler) checkDomain(c *gin.Context) error {
	d, err := h.domainOf(c)
	if err != nil {
		return err
	}
	if _, err := h.domains.Check(c, d); err != nil {
		return err
	}
	return redirect(c, "/staff/settings/domains?done=domain_checked")
}
