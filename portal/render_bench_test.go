package portal

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"workrate/auth"
	"workrate/branding"
	"workrate/locale"
	"workrate/web"
	"workrate/workspace"
)

// BenchmarkRenderDashboard renders the dashboard template alone, full (10
// rows per part, as the handler lists them), in German: the template and
// localisation cost of a page without the database.
func BenchmarkRenderDashboard(b *testing.B) {
	bundle, err := locale.New()
	if err != nil {
		b.Fatal(err)
	}
	assets, err := web.LoadAssets()
	if err != nil {
		b.Fatal(err)
	}
	r, err := web.NewRenderer(bundle, assets)
	if err != nil {
		b.Fatal(err)
	}
	p := dashboardPage{Tasks: true, Tickets: true, Invoices: true, Today: "2026-11-27", OpenCount: 40, UnpaidCount: 12, OverdueCount: 3}
	now := time.Now()
	for i := range dashboardItems {
		p.ActiveWork = append(p.ActiveWork, workspace.Task{ID: fmt.Sprint(i), Title: fmt.Sprintf("Task %d", i), Status: workspace.TaskInProgress, DueOn: "2026-12-01"})
		p.OpenTickets = append(p.OpenTickets, workspace.Ticket{ID: fmt.Sprint(i), Number: i + 1, Subject: fmt.Sprintf("Ticket %d", i), Status: workspace.TicketOpen})
		p.Unpaid = append(p.Unpaid, workspace.Invoice{ID: fmt.Sprint(i), Number: fmt.Sprintf("INV-%d", i), Currency: "EUR", Status: workspace.InvoiceSent, TotalCents: 19800, IssuedOn: "2026-10-01", DueOn: "2026-11-01"})
		p.Activity = append(p.Activity, workspace.Activity{ID: fmt.Sprint(i), ActorKind: "staff", ActorName: "Nora", Verb: "created", SubjectType: "ticket", Summary: "Ticket", CreatedAt: now})
	}
	l := bundle.Localizer("de")
	nav := []web.NavItem{{Label: l.T("nav.dashboard"), Href: "/", Tool: "dashboard", Active: true}, {Label: l.T("nav.tickets"), Href: "/tickets", Tool: "tickets"}}
	gin.SetMode(gin.ReleaseMode)
	b.ReportAllocs()
	for b.Loop() {
		c, _ := gin.CreateTestContext(httptest.NewRecorder())
		c.Request = httptest.NewRequest(http.MethodGet, "/", nil)
		p.Base = web.Base{Surface: web.SurfacePortal, Title: "Dashboard", L: l, Lang: "de", Nav: nav, Brand: branding.Brand{Name: "Acme"},
			Viewer: &web.Viewer{Name: "Bakery", Kind: auth.KindClient}}
		if err := r.HTML(c, http.StatusOK, "portal/dashboard", &p); err != nil {
			b.Fatal(err)
		}
	}
}
