package operator

import "github.com/gin-gonic/gin"

// removeDomain deletes a domain of any agency; it stops being served at once.
func (h *Handler) removeDomain(c *gin.Context) error {
	d, err := h.domainOf(c)
	if err != nil {
		return err
	}
	if err := h.domains.Remove(c, d.AgencyID, d.Hostname); err != nil {
		return err
	}
	return redirect(c, "/operator/domains?done=removed")
}
