package agency

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"workrate/locale"
	"workrate/store"
	"workrate/workspace"
)

// invoicesPage is the data of staff/ws_invoices.
type invoicesPage struct {
	workspacePage
	Invoices []workspace.Invoice
	Today    string
	NextURL  string
	FirstURL string
}

// invoiceForm is an invoice's form: as typed, with messages; line errors
// are keyed "lines[i].field" like the store's.
type invoiceForm struct {
	ID       string
	Number   string
	IssuedOn string
	DueOn    string
	Currency string
	Status   string
	PaidOn   string
	Lines    []lineRow
	Statuses []string
	Errors   formErrors
}

// lineRow is one line of the form.
type lineRow struct {
	Description string
	Quantity    string
	UnitPrice   string
}

// invoiceNewPage is the data of staff/ws_invoice_new: the new invoice's form.
type invoiceNewPage struct {
	workspacePage
	Form invoiceForm
}

// invoicePage is the data of staff/ws_invoice: an invoice and its edit form.
type invoicePage struct {
	workspacePage
	Invoice *workspace.Invoice
	Today   string
	Form    invoiceForm
}

// blankLines is how many empty line rows a form offers.
const blankLines = 3

// showInvoices lists the workspace's invoices, overdue ones marked.
func (h *Handler) showInvoices(c *gin.Context) error {
	ws := workspaceOf(c)
	cursor := c.Query("cursor")
	page, err := h.work.Invoices(c, staffScope(c), workspace.ListOptions{Limit: staffPageSize, Cursor: cursor})
	if _, bad := formErrorsOf(h.localizer(c), err); bad {
		cursor = ""
		page, err = h.work.Invoices(c, staffScope(c), workspace.ListOptions{Limit: staffPageSize})
	}
	if err != nil {
		return err
	}
	p := invoicesPage{Invoices: page.Items, Today: workspace.Today()}
	if page.Next != "" {
		p.NextURL = "/staff/workspaces/" + ws.ID + "/invoices?" + url.Values{"cursor": {page.Next}}.Encode()
	}
	if cursor != "" {
		p.FirstURL = "/staff/workspaces/" + ws.ID + "/invoices"
	}
	p.workspacePage = h.workspaceBase(c, TabInvoices, "staff.invoices.title")
	return h.render(c, "staff/ws_invoices", &p)
}

func (h *Handler) renderNewInvoice(c *gin.Context, status int, f invoiceForm) error {
	f.Statuses = workspace.InvoiceStatuses()
	f.Lines = padLines(f.Lines)
	if f.Errors == nil {
		f.Errors = formErrors{}
	}
	return h.renderer.HTML(c, status, "staff/ws_invoice_new", &invoiceNewPage{workspacePage: h.workspaceBase(c, TabInvoices, "staff.invoices.new"), Form: f})
}

func padLines(ls []lineRow) []lineRow {
	for range blankLines {
		ls = append(ls, lineRow{})
	}
	return ls
}

// showNewInvoice shows an empty invoice form.
func (h *Handler) showNewInvoice(c *gin.Context) error {
	today := time.Now().UTC()
	return h.renderNewInvoice(c, http.StatusOK, invoiceForm{IssuedOn: today.Format(time.DateOnly),
		DueOn: today.AddDate(0, 0, 14).Format(time.DateOnly), Currency: "EUR", Status: workspace.InvoiceDraft})
}

// invoiceFormOf reads an invoice form; lines that could not be read get
// messages in f.Errors, and ok is false.
func invoiceFormOf(c *gin.Context, l *locale.Localizer) (f invoiceForm, lines []workspace.LineInput, ok bool) {
	f = invoiceForm{ID: c.Param("invoice_id"), Number: c.PostForm("number"), IssuedOn: c.PostForm("issued_on"),
		DueOn: c.PostForm("due_on"), Currency: c.PostForm("currency"), Status: c.PostForm("status"),
		PaidOn: c.PostForm("paid_on"), Errors: formErrors{}}
	descs, qtys, prices := c.PostFormArray("line_description"), c.PostFormArray("line_quantity"), c.PostFormArray("line_unit_price")
	at := func(list []string, i int) string {
		if i < len(list) {
			return list[i]
		}
		return ""
	}
	for i := range max(len(descs), len(qtys), len(prices)) {
		row := lineRow{Description: at(descs, i), Quantity: at(qtys, i), UnitPrice: at(prices, i)}
		if strings.TrimSpace(row.Description+row.Quantity+row.UnitPrice) == "" {
			continue
		}
		n := len(f.Lines)
		f.Lines = append(f.Lines, row)
		key := func(field string) string { return "lines[" + strconv.Itoa(n) + "]." + field }
		qty, err := strconv.ParseFloat(strings.ReplaceAll(strings.TrimSpace(row.Quantity), ",", "."), 64)
		if err != nil {
			f.Errors[key("quantity")] = l.T("field.invalid_quantity", "Limit", 1000000)
		}
		cents, good := parseAmount(row.UnitPrice)
		if !good {
			f.Errors[key("unit_price_cents")] = l.T("staff.error.amount")
		}
		lines = append(lines, workspace.LineInput{Description: row.Description, Quantity: qty, UnitPriceCents: cents})
	}
	return f, lines, !f.Errors.Any()
}

// invoiceErrors puts a store refusal next to its field; a taken number is
// a message too. ok is false for any other error.
func invoiceErrors(l *locale.Localizer, err error) (formErrors, bool) {
	if errors.Is(err, store.ErrConflict) {
		return formErrors{"number": l.T("staff.invoices.number_taken")}, true
	}
	return formErrorsOf(l, err)
}

// createInvoice creates an invoice; the server computes its totals.
func (h *Handler) createInvoice(c *gin.Context) error {
	l := h.localizer(c)
	f, lines, ok := invoiceFormOf(c, l)
	if !ok {
		return h.renderNewInvoice(c, http.StatusUnprocessableEntity, f)
	}
	inv, err := h.work.CreateInvoice(c, staffScope(c), actorOf(c), workspace.InvoiceInput{Number: f.Number, IssuedOn: f.IssuedOn,
		DueOn: f.DueOn, Currency: f.Currency, Status: f.Status, Lines: lines})
	if errs, ok := invoiceErrors(l, err); ok {
		f.Errors = errs
		return h.renderNewInvoice(c, http.StatusUnprocessableEntity, f)
	}
	if err != nil {
		return err
	}
	return redirect(c, "/staff/workspaces/"+workspaceOf(c).ID+"/invoices/"+inv.ID+"?done=created")
}

func (h *Handler) renderInvoice(c *gin.Context, status int, f *invoiceForm) error {
	inv, err := h.work.Invoice(c, staffScope(c), c.Param("invoice_id"))
	if err != nil {
		return err
	}
	if f == nil {
		f = &invoiceForm{ID: inv.ID, Number: inv.Number, IssuedOn: inv.IssuedOn, DueOn: inv.DueOn, Currency: inv.Currency,
			Status: inv.Status, PaidOn: inv.PaidOn}
		for _, ln := range inv.Lines {
			f.Lines = append(f.Lines, lineRow{Description: ln.Description, Quantity: workspace.FormatQuantity(ln.QuantityMilli),
				UnitPrice: formatAmount(ln.UnitPriceCents)})
		}
	}
	f.Statuses = workspace.InvoiceStatuses()
	f.Lines = padLines(f.Lines)
	if f.Errors == nil {
		f.Errors = formErrors{}
	}
	p := &invoicePage{workspacePage: h.workspaceBase(c, TabInvoices, "staff.invoices.title"), Invoice: inv, Today: workspace.Today(), Form: *f}
	p.Title = inv.Number + " · " + workspaceOf(c).Name
	return h.renderer.HTML(c, status, "staff/ws_invoice", p)
}

// showInvoice shows an invoice with its lines and its edit form.
func (h *Handler) showInvoice(c *gin.Context) error { return h.renderInvoice(c, http.StatusOK, nil) }

// updateInvoice saves the edit form (status, paid date, lines …).
func (h *Handler) updateInvoice(c *gin.Context) error {
	if _, err := h.work.Invoice(c, staffScope(c), c.Param("invoice_id")); err != nil {
		return err
	}
	l := h.localizer(c)
	f, lines, ok := invoiceFormOf(c, l)
	if !ok {
		return h.renderInvoice(c, http.StatusUnprocessableEntity, &f)
	}
	_, err := h.work.UpdateInvoice(c, staffScope(c), actorOf(c), f.ID, workspace.InvoicePatch{Number: &f.Number, IssuedOn: &f.IssuedOn,
		DueOn: &f.DueOn, Currency: &f.Currency, Status: &f.Status, PaidOn: &f.PaidOn, Lines: &lines})
	if errs, ok := invoiceErrors(l, err); ok {
		f.Errors = errs
		return h.renderInvoice(c, http.StatusUnprocessableEntity, &f)
	}
	if err != nil {
		return err
	}
	return redirect(c, "/staff/workspaces/"+workspaceOf(c).ID+"/invoices/"+f.ID+"?done=saved")
}
