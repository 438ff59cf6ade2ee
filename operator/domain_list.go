package operator

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"workrate/tenant"
	"workrate/web"
)

// domainRow is one custom domain as the console shows it.
type domainRow struct {
	tenant.Domain
	AgencyName   string
	AgencyActive bool
	Status       web.DomainStatus
}

// domainsPage is the data of operator/domains.
type domainsPage struct {
	web.Base
	Domains []domainRow
	Pager   pager
	Target  string
}

// showDomains lists every agency's custom domains with both statuses, the
// certificate's expiry and the last error.
func (h *Handler) showDomains(c *gin.Context) error {
	page := pageNumber(c)
	ds, err := h.tenants.AllDomains(c, pageSize+1, (page-1)*pageSize)
	if err != nil {
		return err
	}
	more := len(ds) > pageSize
	if more {
		ds = ds[:pageSize]
	}
	l := h.localizer(c)
	rows := make([]domainRow, len(ds))
	for i := range ds {
		rows[i] = domainRow{Domain: ds[i], Status: web.DescribeDomain(&ds[i], l)}
		if s := h.resolver.SiteByID(ds[i].AgencyID); s != nil {
			rows[i].AgencyName, rows[i].AgencyActive = s.Agency.Name, s.Agency.Active()
		}
	}
	return h.renderer.HTML(c, http.StatusOK, "operator/domains", &domainsPage{Base: h.base(c, "operator/domains", "operator.domains.title"), Domains: rows, Pager: newPager(page, more), Target: h.domains.CNAMETarget()})
}
