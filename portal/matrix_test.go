package portal_test

import (
	"net/http"
	"strings"
	"testing"

	"workrate/access"
	"workrate/fixture"
	"workrate/migrations/testdb"
	"workrate/server/servertest"
	"workrate/store"
	"workrate/workspace"
)

// toolPages lists, per tool, the portal pages of workspace w.
func toolPages(w *fixture.Workspace) map[workspace.Tool][]string {
	return map[workspace.Tool][]string{
		workspace.ToolDashboard: {"/"},
		workspace.ToolTickets:   {"/tickets", "/tickets/" + w.TicketID},
		workspace.ToolMessages:  {"/messages"},
		workspace.ToolTasks:     {"/tasks"},
		workspace.ToolInvoices:  {"/invoices", "/invoices/" + w.SentInvoiceID, "/invoices/" + w.PaidInvoiceID},
	}
}

// TestPortalShowsOnlyOwnDataForEveryToolSet signs in as the client of A1 and,
// for all 32 sets of tools, opens every portal page: no response holds a
// marker the client must not see, each enabled tool shows the client's own
// rows, and each disabled tool's pages answer 404 for GET and POST exactly
// like a path that never existed.
func TestPortalShowsOnlyOwnDataForEveryToolSet(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			f := fixture.New(t, db.DB)
			_, err := db.NewRaw("INSERT INTO service_rates (id, agency_id, service, hourly_rate_cents, currency) VALUES (?, ?, ?, 9900, 'EUR')",
				store.NewID(), f.A.ID, "Design MARK-A-rate").Exec(ctx)
			if err != nil {
				t.Fatal(err)
			}
			env := servertest.New(t, db)
			env.Reload()
			host := f.A.Slug + ".localhost"
			svc := env.App.Access()
			for _, w := range []*fixture.Workspace{f.A2, f.B1} {
				if _, err := svc.Save(ctx, *w.Agency, w.ID, staffActor, access.Input{Enabled: true, LoginEmail: ptr("login-" + w.Key + "-mark@client.example"),
					GeneratePassword: true, Tools: ptr([]string{"dashboard", "tickets", "messages", "tasks", "invoices"})}); err != nil {
					t.Fatal(err)
				}
			}
			all := []string{"dashboard", "tickets", "messages", "tasks", "invoices"}
			if _, err := svc.Save(ctx, *f.A, f.A1.ID, staffActor, access.Input{Enabled: true, LoginEmail: ptr("client-a1@client.example"),
				TemporaryPassword: "temporary-pass-31", Tools: ptr(all)}); err != nil {
				t.Fatal(err)
			}
			s := &site{Env: env}
			b := s.signIn(t, host, "client-a1@client.example", "temporary-pass-31", "own-password-4242")

			forbidden := append(f.MustNotSee(f.A1), "MARK-A-rate", "login-A2-mark", "login-B1-mark", "Staff B")
			foreignIDs := []string{f.A2.TicketID, f.B1.TicketID, f.A2.SentInvoiceID, f.B2.PaidInvoiceID, f.A1.DraftInvoiceID, "not-an-id", store.NewID()}
			pages := toolPages(f.A1)
			notFound := b.Get(host, "/no-such-page")
			if notFound.Status != http.StatusNotFound {
				t.Fatalf("unknown path: %d", notFound.Status)
			}
			same404 := func(path string, r *servertest.Response) bool {
				return r.Status == http.StatusNotFound &&
					strings.ReplaceAll(r.Body, path, "/no-such-page") == notFound.Body
			}

			for mask := range 32 {
				var tools []string
				for i, tool := range all {
					if mask&(1<<i) != 0 {
						tools = append(tools, tool)
					}
				}
				name := strings.Join(tools, "+")
				if name == "" {
					name = "none"
				}
				t.Run(name, func(t *testing.T) {
					if _, err := svc.Save(ctx, *f.A, f.A1.ID, staffActor, access.Input{Enabled: true, Tools: ptr(tools)}); err != nil {
						t.Fatal(err)
					}
					on := func(tool workspace.Tool) bool {
						return strings.Contains(","+strings.Join(tools, ",")+",", ","+string(tool)+",")
					}
					check := func(method, path string, r *servertest.Response) {
						t.Helper()
						if leaks := fixture.Leaks(r.Body, forbidden); len(leaks) > 0 {
							t.Errorf("%s %s leaks %v", method, path, leaks)
						}
					}
					home := b.Get(host, "/")
					check("GET", "/", home)
					if strings.Count(home.Body, "<nav") > 1 {
						t.Errorf("more than one nav")
					}
					for _, tool := range workspace.AllTools() {
						hasLink := strings.Contains(home.Body, `data-tool="`+string(tool)+`"`)
						if hasLink != on(tool) && home.Status == 200 {
							t.Errorf("nav link for %s: %v, enabled %v", tool, hasLink, on(tool))
						}
					}
					for tool, paths := range pages {
						var seen strings.Builder
						for _, p := range paths {
							r := b.Get(host, p)
							check("GET", p, r)
							switch {
							case tool == workspace.ToolDashboard && !on(tool):
								// "/" is the portal's home: it leads to the first tool instead.
								if len(tools) > 0 && r.Status != http.StatusSeeOther {
									t.Errorf("GET / without dashboard: %d", r.Status)
								}
							case on(tool):
								if r.Status != 200 {
									t.Errorf("GET %s (enabled): %d", p, r.Status)
								}
								seen.WriteString(r.Body)
							default:
								if !same404(p, r) {
									t.Errorf("GET %s (disabled): %d, not the page of a path that never existed", p, r.Status)
								}
								pr := b.Post(host, p, servertest.Values("subject", "x", "body", "y"))
								check("POST", p, pr)
								if !same404(p, pr) {
									t.Errorf("POST %s (disabled): %d, not the page of a path that never existed", p, pr.Status)
								}
							}
						}
						if on(tool) {
							for _, m := range f.A1.VisibleIn[tool] {
								if !strings.Contains(seen.String(), m) {
									t.Errorf("%s pages lack the client's own %s", tool, m)
								}
							}
						}
					}
					if on(workspace.ToolDashboard) {
						dash := home.Body
						if !strings.Contains(dash, f.A1.Marker("sharednote")) {
							t.Error("dashboard lacks the client-visible note")
						}
						want := map[workspace.Tool]string{workspace.ToolTasks: "tasktitle", workspace.ToolTickets: "ticketsubj", workspace.ToolInvoices: "sentinvoice"}
						for tool, kind := range want {
							if strings.Contains(dash, f.A1.Marker(kind)) != on(tool) {
								t.Errorf("dashboard shows %s: %v, tool enabled %v", kind, !on(tool), on(tool))
							}
						}
						if !on(workspace.ToolInvoices) {
							low := strings.ToLower(text(dash))
							if strings.Contains(low, "invoice") || strings.Contains(dash, "€") || strings.Contains(dash, "180") {
								t.Error("dashboard mentions invoices, amounts or counts with Invoices off")
							}
						}
						if !on(workspace.ToolMessages) && strings.Contains(dash, f.A1.Marker("staffmsg")) {
							t.Error("dashboard shows a message with Messages off")
						}
					}
					if on(workspace.ToolTickets) {
						for _, id := range foreignIDs {
							for _, p := range []string{"/tickets/" + id} {
								if r := b.Get(host, p); r.Status != http.StatusNotFound {
									t.Errorf("GET %s: %d", p, r.Status)
								}
							}
							if r := b.Post(host, "/tickets/"+id+"/replies", servertest.Values("body", "hello")); r.Status != http.StatusNotFound {
								t.Errorf("reply to foreign ticket %s: %d", id, r.Status)
							}
						}
					}
					if on(workspace.ToolInvoices) {
						for _, id := range foreignIDs {
							if r := b.Get(host, "/invoices/"+id); r.Status != http.StatusNotFound {
								t.Errorf("GET /invoices/%s: %d", id, r.Status)
							}
						}
					}
					// Task board: read-only, every write is 404.
					for _, p := range []string{"/tasks", "/tasks/" + f.A1.TaskID} {
						for _, m := range []string{http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
							if r := b.Do(m, host, p, strings.NewReader("title=x"), "application/x-www-form-urlencoded"); r.Status != http.StatusNotFound {
								t.Errorf("%s %s: %d", m, p, r.Status)
							}
						}
					}
				})
			}
		})
	}
}
