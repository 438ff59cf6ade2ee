package agency

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"workrate/tenant"
)

// addDomain claims a hostname for the agency; the page then shows the DNS
// records to create, and the background checker verifies them.
func (h *Handler) addDomain(c *gin.Context) error {
	input := c.PostForm("hostname")
	_, err := h.domains.Add(c, agencyOf(c).ID, input)
	var de *tenant.DomainError
	if errors.As(err, &de) {
		status := http.StatusUnprocessableEntity
		if de.Code == tenant.DomainTaken {
			status = http.StatusConflict
		}
		return h.renderDomains(c, status, domainsPage{Hostname: input, Error: h.localizer(c).T(de.Code)})
	}
	if err != nil {
		return err
	}
	return redirect(c, "/staff/settings/domains?done=domain_added")
}
