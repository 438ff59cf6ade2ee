package api

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"workrate/field"
	"workrate/tenant"
)

// RateJSON is a service rate in the API.
type RateJSON struct {
	Service         string `json:"service" api:"required"`
	HourlyRateCents int64  `json:"hourly_rate_cents" api:"required"`
	Currency        string `json:"currency" api:"required"`
}

// rateBody is one rate as sent: pointers tell a missing field from a zero.
type rateBody struct {
	Service         *string `json:"service"`
	HourlyRateCents *int64  `json:"hourly_rate_cents"`
	Currency        *string `json:"currency"`
}

func (h *Handler) rateAPI() []Route {
	return []Route{
		{Method: http.MethodGet, Path: "/settings/rates", Summary: "The agency's service rates",
			Response: []RateJSON{}, Handle: h.apiListRates},
		{Method: http.MethodPut, Path: "/settings/rates", Summary: "Replace the agency's service rates (in this order)",
			Request: []RateJSON{}, Response: []RateJSON{}, Handle: h.apiPutRates},
	}
}

func ratesJSON(rs []tenant.Rate) []RateJSON {
	out := make([]RateJSON, 0, len(rs))
	for _, r := range rs {
		out = append(out, RateJSON{Service: r.Service, HourlyRateCents: r.HourlyRateCents, Currency: r.Currency})
	}
	return out
}

func (h *Handler) apiListRates(c *gin.Context) error {
	rs, err := h.tenants.Rates(c, agencyOf(c).ID)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, ratesJSON(rs))
	return nil
}

func (h *Handler) apiPutRates(c *gin.Context) error {
	var body []rateBody
	if err := decodeJSON(c, &body); err != nil {
		return err
	}
	if body == nil {
		return apiErr(http.StatusBadRequest, "invalid_type", "the body must be an array of rates")
	}
	in := make([]tenant.RateInput, 0, len(body))
	for i, b := range body {
		switch {
		case b.Service == nil:
			return field.New(fmt.Sprintf("[%d].service", i), field.Required)
		case b.HourlyRateCents == nil:
			return field.New(fmt.Sprintf("[%d].hourly_rate_cents", i), field.Required)
		case b.Currency == nil:
			return field.New(fmt.Sprintf("[%d].currency", i), field.Required)
		}
		in = append(in, tenant.RateInput{Service: *b.Service, HourlyRateCents: *b.HourlyRateCents, Currency: *b.Currency})
	}
	rs, err := h.tenants.ReplaceRates(c, agencyOf(c).ID, in)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, ratesJSON(rs))
	return nil
}
