package portal

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"workrate/web"
	"workrate/workspace"
)

// dashboardPage is the client's overview. Every part is filled only when its
// tool is enabled: with Invoices off there is no invoice, amount or count.
type dashboardPage struct {
	Tasks       bool
	Tickets     bool
	Invoices    bool
	ActiveWork  []workspace.Task // in progress or in review
	OpenTickets []workspace.Ticket
	OpenCount   int
	Unpaid      []workspace.Invoice
	Totals      workspace.InvoiceTotals
	Today       string
	Activity    []workspace.Activity
	Notes       []workspace.Note // client-visible notes
}

// showDashboard shows active work, open items, recent client-visible activity
// and shared notes, each part only for an enabled tool.
func (h *Handler) showDashboard(c *gin.Context) error {
	cl := clientOf(c)
	sc := cl.Scope()
	p := dashboardPage{Today: workspace.Today(), Tasks: cl.Has(workspace.ToolTasks),
		Tickets: cl.Has(workspace.ToolTickets), Invoices: cl.Has(workspace.ToolInvoices)}
	if p.Tasks {
		tasks, err := h.Store.Tasks(c, sc)
		if err != nil {
			return err
		}
		for _, t := range tasks {
			if t.Status == workspace.TaskInProgress || t.Status == workspace.TaskReview {
				p.ActiveWork = append(p.ActiveWork, t)
			}
		}
	}
	if p.Tickets {
		for _, status := range workspace.OpenTicketStatuses() {
			page, err := h.Store.Tickets(c, sc, status, workspace.ListOptions{Limit: 10})
			if err != nil {
				return err
			}
			p.OpenTickets = append(p.OpenTickets, page.Items...)
		}
		n, err := h.Store.CountOpenTickets(c, sc)
		if err != nil {
			return err
		}
		p.OpenCount = n
	}
	if p.Invoices {
		page, err := h.Store.Invoices(c, sc, workspace.ListOptions{Limit: workspace.MaxLimit})
		if err != nil {
			return err
		}
		for _, inv := range page.Items {
			if inv.Unpaid() {
				p.Unpaid = append(p.Unpaid, inv)
			}
		}
		if p.Totals, err = h.Store.InvoiceTotals(c, sc, p.Today); err != nil {
			return err
		}
	}
	var err error
	if p.Activity, err = h.Store.ActivityFor(c, sc, cl.Tools(), 10); err != nil {
		return err
	}
	if p.Notes, err = h.Store.Notes(c, sc); err != nil {
		return err
	}
	return h.render(c, http.StatusOK, "portal/dashboard", web.LocalizerOf(c).T("portal.dashboard.title"), p)
}
