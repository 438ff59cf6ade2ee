package api

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"workrate/field"
	"workrate/store"
	"workrate/tenant"
)

// domainBody is the body of POST /domains.
type domainBody struct {
	Hostname *string `json:"hostname" api:"required"`
}

func (h *Handler) domainAPI() []Route {
	return []Route{
		{Method: http.MethodGet, Path: "/domains", Summary: "The agency's custom domains with their DNS and certificate status",
			Response: tenant.DomainView{}, List: true, Handle: h.apiListDomains},
		{Method: http.MethodPost, Path: "/domains", Summary: "Claim a hostname; the answer says which DNS records to create",
			Request: domainBody{}, Response: tenant.DomainView{}, Status: http.StatusCreated, Handle: h.apiAddDomain},
		{Method: http.MethodGet, Path: "/domains/:hostname", Summary: "One custom domain",
			Response: tenant.DomainView{}, Handle: h.apiGetDomain},
		{Method: http.MethodDelete, Path: "/domains/:hostname", Summary: "Remove a custom domain; it stops being served at once",
			Status: http.StatusNoContent, Handle: h.apiRemoveDomain},
	}
}

func (h *Handler) apiListDomains(c *gin.Context) error {
	limit, cursor, err := listParams(c)
	if err != nil {
		return err
	}
	ds, err := h.tenants.DomainsOf(c, agencyOf(c).ID)
	if err != nil {
		return err
	}
	views := make([]tenant.DomainView, len(ds))
	for i := range ds {
		views[i] = ds[i].View(h.domains.CNAMETarget())
	}
	page, next, err := pageOf(views, limit, cursor)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, newListPage(page, next))
	return nil
}

func (h *Handler) apiAddDomain(c *gin.Context) error {
	var body domainBody
	if err := decodeJSON(c, &body); err != nil {
		return err
	}
	if body.Hostname == nil {
		return field.New("hostname", field.Required)
	}
	d, err := h.domains.Add(c, agencyOf(c).ID, *body.Hostname)
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, d.View(h.domains.CNAMETarget()))
	return nil
}

// apiDomain returns one of the agency's domains named in the path; a name
// that is not a hostname is 404 without a query.
func (h *Handler) apiDomain(c *gin.Context) (*tenant.Domain, error) {
	host, err := tenant.NormalizeHost(c.Param("hostname"))
	if err != nil || strings.HasPrefix(host, "[") {
		return nil, store.ErrNotFound
	}
	return h.tenants.Domain(c, agencyOf(c).ID, host)
}

func (h *Handler) apiGetDomain(c *gin.Context) error {
	d, err := h.apiDomain(c)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, d.View(h.domains.CNAMETarget()))
	return nil
}

func (h *Handler) apiRemoveDomain(c *gin.Context) error {
	d, err := h.apiDomain(c)
	if err != nil {
		return err
	}
	if err := h.domains.Remove(c, d.AgencyID, d.Hostname); err != nil {
		return err
	}
	c.Status(http.StatusNoContent)
	return nil
}
