package api

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"workrate/field"
	"workrate/store"
	"workrate/workspace"
)

// InvoiceJSON is an invoice in the API. total_cents is computed by the
// server; overdue is derived (sent and due before today). Lists leave out
// the lines.
type InvoiceJSON struct {
	ID         string            `json:"id"`
	Number     string            `json:"number"`
	IssuedOn   string            `json:"issued_on"`
	DueOn      string            `json:"due_on"`
	Currency   string            `json:"currency"`
	Status     string            `json:"status"`
	PaidOn     string            `json:"paid_on"`
	Overdue    bool              `json:"overdue"`
	TotalCents int64             `json:"total_cents"`
	Lines      []InvoiceLineJSON `json:"lines,omitempty"`
	CreatedAt  time.Time         `json:"created_at"`
	UpdatedAt  time.Time         `json:"updated_at"`
}

// InvoiceLineJSON is one line; amount_cents is computed by the server.
type InvoiceLineJSON struct {
	Description    string  `json:"description"`
	Quantity       float64 `json:"quantity"`
	UnitPriceCents int64   `json:"unit_price_cents"`
	AmountCents    int64   `json:"amount_cents"`
}

// invoiceBody is an invoice as sent: status ∈ draft, sent, paid, void
// (default draft); dates YYYY-MM-DD; PATCH changes the fields present, and
// lines, when present, replace every line.
type invoiceBody struct {
	Number   *string     `json:"number" api:"required"`
	IssuedOn *string     `json:"issued_on" api:"required"`
	DueOn    *string     `json:"due_on" api:"required"`
	Currency *string     `json:"currency" api:"required"`
	Status   *string     `json:"status"`
	PaidOn   *string     `json:"paid_on"`
	Lines    *[]lineBody `json:"lines" api:"required"`
}

// lineBody is a line as sent: quantity > 0 with up to 3 decimals, unit price ≥ 0.
type lineBody struct {
	Description    *string  `json:"description" api:"required"`
	Quantity       *float64 `json:"quantity" api:"required"`
	UnitPriceCents *int64   `json:"unit_price_cents" api:"required"`
}

func invoiceJSON(inv *workspace.Invoice, today string) InvoiceJSON {
	out := InvoiceJSON{ID: inv.ID, Number: inv.Number, IssuedOn: inv.IssuedOn, DueOn: inv.DueOn, Currency: inv.Currency,
		Status: inv.Status, PaidOn: inv.PaidOn, Overdue: inv.Overdue(today), TotalCents: inv.TotalCents,
		CreatedAt: inv.CreatedAt.UTC(), UpdatedAt: inv.UpdatedAt.UTC()}
	for _, l := range inv.Lines {
		out.Lines = append(out.Lines, InvoiceLineJSON{Description: l.Description, Quantity: l.Quantity(),
			UnitPriceCents: l.UnitPriceCents, AmountCents: l.AmountCents})
	}
	return out
}

func (h *Handler) invoiceAPI() []Route {
	return []Route{
		{Method: http.MethodGet, Path: "/workspaces/:id/invoices", Summary: "The workspace's invoices, latest issued first (without lines)",
			Response: InvoiceJSON{}, List: true, InWorkspace: true, Handle: h.apiListInvoices},
		{Method: http.MethodPost, Path: "/workspaces/:id/invoices", Summary: "Create an invoice; totals are computed by the server",
			Request: invoiceBody{}, Response: InvoiceJSON{}, Status: http.StatusCreated, InWorkspace: true, Handle: h.apiCreateInvoice},
		{Method: http.MethodGet, Path: "/workspaces/:id/invoices/:invoice_id", Summary: "One invoice with its lines",
			Response: InvoiceJSON{}, InWorkspace: true, Handle: h.apiGetInvoice},
		{Method: http.MethodPatch, Path: "/workspaces/:id/invoices/:invoice_id", Summary: "Change an invoice (status, paid_on, lines …)",
			Request: invoiceBody{}, Response: InvoiceJSON{}, InWorkspace: true, Handle: h.apiPatchInvoice},
	}
}

// lineInputs checks the lines as sent.
func lineInputs(ls []lineBody) ([]workspace.LineInput, error) {
	out := make([]workspace.LineInput, 0, len(ls))
	for i, l := range ls {
		f := func(name string) string { return fmt.Sprintf("lines[%d].%s", i, name) }
		switch {
		case l.Description == nil:
			return nil, field.New(f("description"), field.Required)
		case l.Quantity == nil:
			return nil, field.New(f("quantity"), field.Required)
		case l.UnitPriceCents == nil:
			return nil, field.New(f("unit_price_cents"), field.Required)
		}
		out = append(out, workspace.LineInput{Description: *l.Description, Quantity: *l.Quantity, UnitPriceCents: *l.UnitPriceCents})
	}
	return out, nil
}

// invoiceConflict explains a taken invoice number.
func invoiceConflict(err error) error {
	if errors.Is(err, store.ErrConflict) {
		return &Error{Status: http.StatusConflict, Code: "conflict", Field: "number", Message: "number: another invoice of the agency has this number"}
	}
	return err
}

func (h *Handler) apiListInvoices(c *gin.Context) error {
	limit, cursor, err := listParams(c)
	if err != nil {
		return err
	}
	page, err := h.work.Invoices(c, staffScope(c), workspace.ListOptions{Limit: limit, Cursor: cursor})
	if err != nil {
		return err
	}
	today := workspace.Today()
	out := make([]InvoiceJSON, 0, len(page.Items))
	for i := range page.Items {
		out = append(out, invoiceJSON(&page.Items[i], today))
	}
	c.JSON(http.StatusOK, newListPage(out, page.Next))
	return nil
}

func (h *Handler) apiCreateInvoice(c *gin.Context) error {
	var b invoiceBody
	if err := decodeJSON(c, &b); err != nil {
		return err
	}
	for _, r := range []struct {
		name string
		v    *string
	}{{"number", b.Number}, {"issued_on", b.IssuedOn}, {"due_on", b.DueOn}, {"currency", b.Currency}} {
		if r.v == nil {
			return field.New(r.name, field.Required)
		}
	}
	if b.Lines == nil {
		return field.New("lines", field.Required)
	}
	if b.PaidOn != nil {
		return fieldErr("paid_on", "is set by changing the status to paid")
	}
	lines, err := lineInputs(*b.Lines)
	if err != nil {
		return err
	}
	inv, err := h.work.CreateInvoice(c, staffScope(c), actorOf(c), workspace.InvoiceInput{Number: *b.Number, IssuedOn: *b.IssuedOn,
		DueOn: *b.DueOn, Currency: *b.Currency, Status: deref(b.Status), Lines: lines})
	if err != nil {
		return invoiceConflict(err)
	}
	c.JSON(http.StatusCreated, invoiceJSON(inv, workspace.Today()))
	return nil
}

func (h *Handler) apiGetInvoice(c *gin.Context) error {
	inv, err := h.work.Invoice(c, staffScope(c), c.Param("invoice_id"))
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, invoiceJSON(inv, workspace.Today()))
	return nil
}

func (h *Handler) apiPatchInvoice(c *gin.Context) error {
	sc := staffScope(c)
	if _, err := h.work.Invoice(c, sc, c.Param("invoice_id")); err != nil {
		return err
	}
	var b invoiceBody
	if err := decodeJSON(c, &b); err != nil {
		return err
	}
	p := workspace.InvoicePatch{Number: b.Number, IssuedOn: b.IssuedOn, DueOn: b.DueOn, Currency: b.Currency, Status: b.Status, PaidOn: b.PaidOn}
	if b.Lines != nil {
		lines, err := lineInputs(*b.Lines)
		if err != nil {
			return err
		}
		p.Lines = &lines
	}
	inv, err := h.work.UpdateInvoice(c, sc, actorOf(c), c.Param("invoice_id"), p)
	if err != nil {
		return invoiceConflict(err)
	}
	c.JSON(http.StatusOK, invoiceJSON(inv, workspace.Today()))
	return nil
}
