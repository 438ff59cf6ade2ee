package portal

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"workrate/web"
	"workrate/workspace"
)

// invoicePage is one invoice with its lines.
type invoicePage struct {
	web.Base
	Invoice *workspace.Invoice
	Lines   []workspace.InvoiceLine
	Today   string
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
	p := invoicePage{Invoice: inv, Lines: inv.Lines, Today: workspace.Today()}
	p.Base = h.base(c, title)
	return h.Renderer.HTML(c, http.StatusOK, "portal/invoice", &p)
}
