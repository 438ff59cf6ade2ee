package portal

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"workrate/web"
	"workrate/workspace"
)

// invoicePage is one invoice with its lines.
type invoicePage struct {
	Invoice *workspace.Invoice
	Lines   []lineView
	Today   string
}

// lineView is an invoice line with its quantity written out ("1.5").
type lineView struct {
	workspace.InvoiceLine
	Qty string
}

// showInvoice shows one of the client's invoices; a draft or another
// workspace's invoice is 404.
func (h *Handler) showInvoice(c *gin.Context) error {
	cl := clientOf(c)
	inv, err := h.Store.Invoice(c, cl.Scope(), c.Param("id"))
	if err != nil {
		return err
	}
	title := web.LocalizerOf(c).T("portal.invoice.title", "Number", inv.Number)
	p := invoicePage{Invoice: inv, Today: workspace.Today()}
	for _, l := range inv.Lines {
		p.Lines = append(p.Lines, lineView{InvoiceLine: l, Qty: workspace.FormatQuantity(l.QuantityMilli)})
	}
	return h.render(c, http.StatusOK, "portal/invoice", title, p)
}
