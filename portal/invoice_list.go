package portal

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"workrate/web"
	"workrate/workspace"
)

// invoicesPage is the client's invoice history (drafts never).
type invoicesPage struct {
	web.Base
	Invoices []workspace.Invoice
	Next     string
	Today    string
}

// showInvoices lists the client's invoices with their dates, total and status.
func (h *Handler) showInvoices(c *gin.Context) error {
	cl := clientOf(c)
	page, err := h.Store.Invoices(c, cl.Scope(), workspace.ListOptions{Cursor: c.Query("after")})
	if err != nil {
		return listError(err)
	}
	p := invoicesPage{Invoices: page.Items, Next: page.Next, Today: workspace.Today()}
	p.Base = h.base(c, web.LocalizerOf(c).T("nav.invoices"))
	return h.Renderer.HTML(c, http.StatusOK, "portal/invoices", &p)
}
