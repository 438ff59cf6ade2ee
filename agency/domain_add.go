package agency

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"workrate/field"
)

// addDomain claims a hostname for the agency; the page then shows the DNS
// records to create, and the background checker verifies them.
func (h *Handler) addDomain(c *gin.Context) error {
	input := c.PostForm("hostname")
	_, err := h.domains.Add(c, agencyOf(c).ID, input)
	if fe := field.As(err); fe != nil {
		status := http.StatusUnprocessableEntity
		if fe.Code == field.HostnameTaken {
			status = http.StatusConflict
		}
		return h.renderDomains(c, status, domainsPage{Hostname: input, Error: h.localizer(c).FieldMessage(fe)})
	}
	if err != nil {
		return err
	}
	return redirect(c, "/staff/settings/domains?done=domain_added")
}
