package portal

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"workrate/web"
	"workrate/workspace"
)

// dashboardItems is how many rows each part of the dashboard lists ("at a
// glance"); the counts stay exact and each tool's page lists everything.
// Listing a whole board made rendering the dashboard's main cost.
const dashboardItems = 10

// dashboardPage is the client's overview. Every part is filled only when its
// tool is enabled: with Invoices off there is no invoice, amount or count.
type dashboardPage struct {
	Tasks        bool
	Tickets      bool
	Invoices     bool
	ActiveWork   []workspace.Task // in progress or in review
	OpenTickets  []workspace.Ticket
	OpenCount    int
	Unpaid       []workspace.Invoice
	UnpaidCount  int // unpaid invoices in all
	OverdueCount int // unpaid invoices past their due date
	Today        string
	Activity     []workspace.Activity
	Notes        []workspace.Note // client-visible notes
}

// showDashboard shows active work, open items, recent client-visible activity
// and shared notes, each part only for an enabled tool.
func (h *Handler) showDashboard(c *gin.Context) error {
	cl := clientOf(c)
	sc := cl.Scope()
	p := dashboardPage{Today: workspace.Today(), Tasks: cl.Has(workspace.ToolTasks),
		Tickets: cl.Has(workspace.ToolTickets), Invoices: cl.Has(workspace.ToolInvoices)}
	// One query per part, whatever the data size (see query_count_test.go).
	var err error
	if p.Tasks {
		if p.ActiveWork, err = h.Store.ActiveTasks(c, sc, dashboardItems); err != nil {
			return err
		}
	}
	if p.Tickets {
		if p.OpenTickets, p.OpenCount, err = h.Store.OpenTickets(c, sc, dashboardItems); err != nil {
			return err
		}
	}
	if p.Invoices {
		if p.Unpaid, p.UnpaidCount, p.OverdueCount, err = h.Store.UnpaidInvoices(c, sc, p.Today, dashboardItems); err != nil {
			return err
		}
	}
	if p.Activity, err = h.Store.ActivityFor(c, sc, cl.Tools(), 10); err != nil {
		return err
	}
	if p.Notes, err = h.Store.Notes(c, sc); err != nil {
		return err
	}
	return h.render(c, http.StatusOK, "portal/dashboard", web.LocalizerOf(c).T("portal.dashboard.title"), p)
}
