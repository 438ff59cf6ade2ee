package agency

import (
	"log/slog"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"workrate/auth"
	"workrate/field"
	"workrate/locale"
	"workrate/store"
	"workrate/tenant"
	"workrate/web"
)

// settingsPage is the data of staff/settings: the agency's name, default
// language and service rates.
type settingsPage struct {
	web.Base
	Name            string
	DefaultLanguage string
	Errors          formErrors
	Rates           []rateRow
	NewRate         rateRow
	// RequireStaffTOTP and IsOwner drive the two-factor rule (owners change it).
	RequireStaffTOTP bool
	IsOwner          bool
}

// rateRow is one rate as its form shows it (the amount as typed).
type rateRow struct {
	ID       string
	Service  string
	Amount   string
	Currency string
	Cents    int64
	Errors   formErrors
}

func (h *Handler) settingsPage(c *gin.Context) (settingsPage, error) {
	a := agencyOf(c)
	rs, err := h.tenants.Rates(c, a.ID)
	if err != nil {
		return settingsPage{}, err
	}
	p := settingsPage{Name: a.Name, DefaultLanguage: a.DefaultLanguage, Errors: formErrors{},
		NewRate:          rateRow{Currency: "EUR", Errors: formErrors{}},
		RequireStaffTOTP: a.RequireStaffTOTP, IsOwner: staffOf(c).Role == auth.RoleOwner}
	if len(rs) > 0 {
		p.NewRate.Currency = rs[len(rs)-1].Currency
	}
	for _, r := range rs {
		p.Rates = append(p.Rates, rateRow{ID: r.ID, Service: r.Service, Amount: formatAmount(r.HourlyRateCents),
			Currency: r.Currency, Cents: r.HourlyRateCents, Errors: formErrors{}})
	}
	return p, nil
}

func (h *Handler) renderSettings(c *gin.Context, status int, p settingsPage) error {
	p.Base = h.staffBase(c, SectionSettings, "staff.settings.title")
	return h.renderer.HTML(c, status, "staff/settings", &p)
}

// showSettings shows the agency settings (owners and admins).
func (h *Handler) showSettings(c *gin.Context) error {
	p, err := h.settingsPage(c)
	if err != nil {
		return err
	}
	return h.renderSettings(c, http.StatusOK, p)
}

// updateSettings saves the agency's name and default language.
func (h *Handler) updateSettings(c *gin.Context) error {
	l := h.localizer(c)
	p, err := h.settingsPage(c)
	if err != nil {
		return err
	}
	p.Name, p.DefaultLanguage = strings.TrimSpace(c.PostForm("name")), c.PostForm("default_language")
	if p.Name == "" {
		p.Errors["name"] = l.T("field.required")
	} else if len([]rune(p.Name)) > 120 {
		p.Errors["name"] = l.T("field.too_long", "Limit", 120)
	}
	if !h.bundle.Supported(p.DefaultLanguage) {
		p.Errors["default_language"] = l.T("field.invalid_choice")
	}
	if p.Errors.Any() {
		return h.renderSettings(c, http.StatusUnprocessableEntity, p)
	}
	id := agencyOf(c).ID
	if err := h.tenants.SetName(c, id, p.Name); err != nil {
		return err
	}
	if err := h.tenants.SetDefaultLanguage(c, id, p.DefaultLanguage); err != nil {
		return err
	}
	h.refreshHosts(c)
	return redirect(c, "/staff/settings?done=saved")
}

// refreshHosts makes this instance's host map see an agency change at once
// (other instances pick it up within their refresh interval).
func (h *Handler) refreshHosts(c *gin.Context) {
	if err := h.resolver.Refresh(c); err != nil {
		slog.WarnContext(c, "refresh host map", "err", err)
	}
}

// rateInput reads a rate form; the row carries what was typed and messages.
func (h *Handler) rateInput(c *gin.Context) (rateRow, tenant.RateInput) {
	l := h.localizer(c)
	row := rateRow{ID: c.Param("id"), Service: c.PostForm("service"), Amount: c.PostForm("hourly_rate"),
		Currency: c.PostForm("currency"), Errors: formErrors{}}
	cents, ok := parseAmount(row.Amount)
	if !ok {
		row.Errors["hourly_rate"] = l.T("staff.error.amount")
	}
	in, err := tenant.NormalizeRate(tenant.RateInput{Service: row.Service, HourlyRateCents: cents, Currency: row.Currency})
	if fe := field.As(err); fe != nil && (ok || fe.Field != "hourly_rate_cents") {
		rateFormError(l, row.Errors, fe)
	}
	return row, in
}

// rateFormError puts a refused rate's message next to its form input
// (the amount's input is hourly_rate; the list as a whole, form).
func rateFormError(l *locale.Localizer, errs formErrors, fe *field.Error) {
	input := map[string]string{"hourly_rate_cents": "hourly_rate", "": "form"}[fe.Field]
	if input == "" {
		input = fe.Field
	}
	errs[input] = l.FieldMessage(fe)
}

// addRate adds a service rate.
func (h *Handler) addRate(c *gin.Context) error {
	row, in := h.rateInput(c)
	if !row.Errors.Any() {
		_, err := h.tenants.AddRate(c, agencyOf(c).ID, in)
		if err == nil {
			return redirect(c, "/staff/settings?done=created#rates")
		}
		fe := field.As(err)
		if fe == nil {
			return err
		}
		rateFormError(h.localizer(c), row.Errors, fe)
	}
	p, err := h.settingsPage(c)
	if err != nil {
		return err
	}
	p.NewRate = row
	return h.renderSettings(c, http.StatusUnprocessableEntity, p)
}

// updateRate changes a service rate.
func (h *Handler) updateRate(c *gin.Context) error {
	if !store.ValidID(c.Param("id")) {
		return store.ErrNotFound
	}
	row, in := h.rateInput(c)
	if !row.Errors.Any() {
		_, err := h.tenants.UpdateRate(c, agencyOf(c).ID, row.ID, in)
		if err == nil {
			return redirect(c, "/staff/settings?done=saved#rates")
		}
		fe := field.As(err)
		if fe == nil {
			return err
		}
		rateFormError(h.localizer(c), row.Errors, fe)
	}
	p, err := h.settingsPage(c)
	if err != nil {
		return err
	}
	found := false
	for i := range p.Rates {
		if p.Rates[i].ID == row.ID {
			p.Rates[i], found = row, true
		}
	}
	if !found {
		return store.ErrNotFound
	}
	return h.renderSettings(c, http.StatusUnprocessableEntity, p)
}

// deleteRate removes a service rate.
func (h *Handler) deleteRate(c *gin.Context) error {
	id := c.Param("id")
	if !store.ValidID(id) {
		return store.ErrNotFound
	}
	if err := h.tenants.DeleteRate(c, agencyOf(c).ID, id); err != nil {
		return err
	}
	return redirect(c, "/staff/settings?done=deleted#rates")
}
