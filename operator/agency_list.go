package operator

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"workrate/tenant"
	"workrate/web"
)

// agencyRow is one agency as the list shows it.
type agencyRow struct {
	tenant.Agency
	Host    string
	Domains []string
}

// agencyForm is the new-agency form, with its errors (message text).
type agencyForm struct {
	Name, Slug, OwnerEmail, OwnerName string
	Errors                            map[string]string
}

// agenciesPage is the data of operator/agencies.
type agenciesPage struct {
	web.Base
	Agencies []agencyRow
	Pager    pager
	Form     agencyForm
}

// showAgencies lists agencies by name, a page at a time, with the new-agency form.
func (h *Handler) showAgencies(c *gin.Context) error {
	return h.renderAgencies(c, http.StatusOK, agencyForm{})
}

func (h *Handler) renderAgencies(c *gin.Context, status int, form agencyForm) error {
	page := pageNumber(c)
	as, err := h.tenants.Agencies(c, pageSize+1, (page-1)*pageSize)
	if err != nil {
		return err
	}
	more := len(as) > pageSize
	if more {
		as = as[:pageSize]
	}
	rows := make([]agencyRow, len(as))
	for i, a := range as {
		rows[i] = agencyRow{Agency: a, Host: h.resolver.AgencyHost(a.Slug), Domains: h.resolver.CustomDomains(a.ID)}
	}
	return h.renderer.HTML(c, status, "operator/agencies", &agenciesPage{Base: h.base(c, "operator/agencies", "operator.agencies.title"), Agencies: rows, Pager: newPager(page, more), Form: form})
}
