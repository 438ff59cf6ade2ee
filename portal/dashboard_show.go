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
	web.Base
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
// and shared notes, each part only for an enabled tool. Its content is kept
// per workspace data version (dashboardCache): while nothing in the
// workspace changed, the page costs the session check alone.
func (h *Handler) showDashboard(c *gin.Context) error {
	cl := clientOf(c)
	l := web.LocalizerOf(c)
	today := workspace.Today()
	v := h.base(c, l.T("portal.dashboard.title"))
	variant := cl.Account.Tools + "|" + v.Lang + "|" + today
	if html, ok := h.dashboards.get(cl.Workspace.ID, cl.Workspace.DataVersion, variant); ok {
		v.Content = html
		return h.Renderer.HTML(c, http.StatusOK, dashboardPageName, &dashboardPage{Base: v})
	}
	p, err := h.dashboard(c, cl, today)
	if err != nil {
		return err
	}
	p.Base = v
	if p.Content, err = h.Renderer.Content(c, dashboardPageName, &p); err != nil {
		return err
	}
	h.dashboards.put(cl.Workspace.ID, cl.Workspace.DataVersion, variant, p.Content)
	return h.Renderer.HTML(c, http.StatusOK, dashboardPageName, &p)
}

const dashboardPageName = "portal/dashboard"

// dashboard reads the dashboard's parts: one query per part, whatever the
// data size (see query_count_test.go).
func (h *Handler) dashboard(c *gin.Context, cl *client, today string) (dashboardPage, error) {
	sc := cl.Scope()
	p := dashboardPage{Today: today, Tasks: cl.Has(workspace.ToolTasks),
		Tickets: cl.Has(workspace.ToolTickets), Invoices: cl.Has(workspace.ToolInvoices)}
	var err error
	if p.Tasks {
		if p.ActiveWork, err = h.Store.ActiveTasks(c, sc, dashboardItems); err != nil {
			return p, err
		}
	}
	if p.Tickets {
		if p.OpenTickets, p.OpenCount, err = h.Store.OpenTickets(c, sc, dashboardItems); err != nil {
			return p, err
		}
	}
	if p.Invoices {
		if p.Unpaid, p.UnpaidCount, p.OverdueCount, err = h.Store.UnpaidInvoices(c, sc, p.Today, dashboardItems); err != nil {
			return p, err
		}
	}
	if p.Activity, err = h.Store.ActivityFor(c, sc, cl.Tools(), 10); err != nil {
		return p, err
	}
	if p.Notes, err = h.Store.Notes(c, sc); err != nil {
		return p, err
	}
	return p, nil
}
