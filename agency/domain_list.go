package agency

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"workrate/store"
	"workrate/tenant"
	"workrate/web"
)

// SectionDomains is the navigation item of the custom domains page.
const SectionDomains = "domains"

// domainItem is one custom domain as the staff page shows it: the DNS
// records to create, and both statuses side by side.
type domainItem struct {
	tenant.Domain
	ChallengeName string
	Status        web.DomainStatus
}

// domainsPage is the data of staff/domains.
type domainsPage struct {
	web.Base
	Domains  []domainItem
	Target   string
	Hostname string // the add form, as typed
	Error    string
}

// showDomains shows the agency's custom domains (owners and admins).
func (h *Handler) showDomains(c *gin.Context) error {
	return h.renderDomains(c, http.StatusOK, domainsPage{})
}

func (h *Handler) renderDomains(c *gin.Context, status int, p domainsPage) error {
	ds, err := h.tenants.DomainsOf(c, agencyOf(c).ID)
	if err != nil {
		return err
	}
	l := h.localizer(c)
	p.Target = h.domains.CNAMETarget()
	for i := range ds {
		p.Domains = append(p.Domains, domainItem{Domain: ds[i], ChallengeName: tenant.ChallengeName(ds[i].Hostname), Status: web.DescribeDomain(&ds[i], l)})
	}
	p.Base = h.staffBase(c, SectionDomains, "domains.title")
	if f := domainFlash(c, l.T); f != "" {
		p.Flash = f
	}
	return h.renderer.HTML(c, status, "staff/domains", &p)
}

// domainFlash is the confirmation after a domain action (?done=…).
func domainFlash(c *gin.Context, t func(string, ...any) string) string {
	switch done := c.Query("done"); done {
	case "domain_added", "domain_checked", "domain_removed":
		return t("domains.flash." + done)
	}
	return ""
}

// domainOf returns one of the agency's domains named in the path.
func (h *Handler) domainOf(c *gin.Context) (*tenant.Domain, error) {
	host, err := tenant.NormalizeHost(c.Param("host"))
	if err != nil {
		return nil, store.ErrNotFound
	}
	return h.tenants.Domain(c, agencyOf(c).ID, host)
}
