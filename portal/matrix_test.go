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
			m := newToolMatrix(t, db)
			for mask := range 32 {
				var tools toolSet
				for i, tool := range allToolNames {
					if mask&(1<<i) != 0 {
						tools = append(tools, tool)
					}
				}
				name := strings.Join(tools, "+")
				if name == "" {
					name = "none"
				}
				t.Run(name, func(t *testing.T) { m.checkToolSet(t, tools) })
			}
		})
	}
}

// allToolNames are the tools, in canonical order.
var allToolNames = []string{"dashboard", "tickets", "messages", "tasks", "invoices"}

// toolSet is the tools enabled for the client.
type toolSet []string

// on reports whether tool is enabled.
func (ts toolSet) on(tool workspace.Tool) bool {
	return strings.Contains(","+strings.Join(ts, ",")+",", ","+string(tool)+",")
}

// toolMatrix is the world of TestPortalShowsOnlyOwnDataForEveryToolSet: the
// client of A1 signed in, and what it must never see.
type toolMatrix struct {
	f          *fixture.Fixture
	host       string
	svc        *access.Service
	b          *servertest.Browser
	forbidden  []string
	foreignIDs []string
	pages      map[workspace.Tool][]string
	notFound   *servertest.Response
}

// newToolMatrix gives A2 and B1 clients of their own (so that their logins
// are data to hide), and signs the client of A1 in.
func newToolMatrix(t *testing.T, db testdb.DB) *toolMatrix {
	f := fixture.New(t, db.DB)
	_, err := db.NewRaw("INSERT INTO service_rates (id, agency_id, service, hourly_rate_cents, currency) VALUES (?, ?, ?, 9900, 'EUR')",
		store.NewID(), f.A.ID, "Design MARK-A-rate").Exec(ctx)
	if err != nil {
		t.Fatal(err)
	}
	env := servertest.New(t, db)
	env.Reload()
	m := &toolMatrix{f: f, host: f.A.Slug + ".localhost", svc: env.App.Access()}
	for _, w := range []*fixture.Workspace{f.A2, f.B1} {
		if _, err := m.svc.Save(ctx, *w.Agency, w.ID, staffActor, access.Input{Enabled: true, LoginEmail: ptr("login-" + w.Key + "-mark@client.example"),
			GeneratePassword: true, Tools: ptr(allToolNames)}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := m.svc.Save(ctx, *f.A, f.A1.ID, staffActor, access.Input{Enabled: true, LoginEmail: ptr("client-a1@client.example"),
		TemporaryPassword: "temporary-pass-31", Tools: ptr(allToolNames)}); err != nil {
		t.Fatal(err)
	}
	s := &site{Env: env}
	m.b = s.signIn(t, m.host, "client-a1@client.example", "temporary-pass-31", "own-password-4242")
	m.forbidden = append(f.MustNotSee(f.A1), "MARK-A-rate", "login-A2-mark", "login-B1-mark", "Staff B")
	m.foreignIDs = []string{f.A2.TicketID, f.B1.TicketID, f.A2.SentInvoiceID, f.B2.PaidInvoiceID, f.A1.DraftInvoiceID, "not-an-id", store.NewID()}
	m.pages = toolPages(f.A1)
	if m.notFound = m.b.Get(m.host, "/no-such-page"); m.notFound.Status != http.StatusNotFound {
		t.Fatalf("unknown path: %d", m.notFound.Status)
	}
	return m
}

// same404 reports whether r is the answer of a path that never existed.
func (m *toolMatrix) same404(path string, r *servertest.Response) bool {
	return r.Status == http.StatusNotFound &&
		strings.ReplaceAll(r.Body, path, "/no-such-page") == m.notFound.Body
}

// check fails the test if an answer holds a marker the client must not see.
func (m *toolMatrix) check(t *testing.T, method, path string, r *servertest.Response) {
	t.Helper()
	if leaks := fixture.Leaks(r.Body, m.forbidden); len(leaks) > 0 {
		t.Errorf("%s %s leaks %v", method, path, leaks)
	}
}

// checkToolSet gives the client tools and opens every portal page.
func (m *toolMatrix) checkToolSet(t *testing.T, tools toolSet) {
	if _, err := m.svc.Save(ctx, *m.f.A, m.f.A1.ID, staffActor, access.Input{Enabled: true, Tools: ptr([]string(tools))}); err != nil {
		t.Fatal(err)
	}
	home := m.b.Get(m.host, "/")
	m.check(t, "GET", "/", home)
	if strings.Count(home.Body, "<nav") > 1 {
		t.Errorf("more than one nav")
	}
	for _, tool := range workspace.AllTools() {
		hasLink := strings.Contains(home.Body, `data-tool="`+string(tool)+`"`)
		if hasLink != tools.on(tool) && home.Status == 200 {
			t.Errorf("nav link for %s: %v, enabled %v", tool, hasLink, tools.on(tool))
		}
	}
	for tool, paths := range m.pages {
		m.checkToolPages(t, tools, tool, paths)
	}
	if tools.on(workspace.ToolDashboard) {
		m.checkDashboard(t, tools, home.Body)
	}
	m.checkForeignIDs(t, tools)
	// Task board: read-only, every write is 404.
	for _, p := range []string{"/tasks", "/tasks/" + m.f.A1.TaskID} {
		for _, method := range []string{http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
			if r := m.b.Do(method, m.host, p, strings.NewReader("title=x"), "application/x-www-form-urlencoded"); r.Status != http.StatusNotFound {
				t.Errorf("%s %s: %d", method, p, r.Status)
			}
		}
	}
}

// checkToolPages opens the pages of one tool: an enabled tool shows the
// client's own rows, a disabled one answers 404 for GET and POST exactly
// like a path that never existed.
func (m *toolMatrix) checkToolPages(t *testing.T, tools toolSet, tool workspace.Tool, paths []string) {
	t.Helper()
	var seen strings.Builder
	for _, p := range paths {
		r := m.b.Get(m.host, p)
		m.check(t, "GET", p, r)
		switch {
		case tool == workspace.ToolDashboard && !tools.on(tool):
			// "/" is the portal's home: it leads to the first tool instead.
			if len(tools) > 0 && r.Status != http.StatusSeeOther {
				t.Errorf("GET / without dashboard: %d", r.Status)
			}
		case tools.on(tool):
			if r.Status != 200 {
				t.Errorf("GET %s (enabled): %d", p, r.Status)
			}
			seen.WriteString(r.Body)
		default:
			if !m.same404(p, r) {
				t.Errorf("GET %s (disabled): %d, not the page of a path that never existed", p, r.Status)
			}
			pr := m.b.Post(m.host, p, servertest.Values("subject", "x", "body", "y"))
			m.check(t, "POST", p, pr)
			if !m.same404(p, pr) {
				t.Errorf("POST %s (disabled): %d, not the page of a path that never existed", p, pr.Status)
			}
		}
	}
	if tools.on(tool) {
		for _, mark := range m.f.A1.VisibleIn[tool] {
			if !strings.Contains(seen.String(), mark) {
				t.Errorf("%s pages lack the client's own %s", tool, mark)
			}
		}
	}
}

// checkDashboard wants the dashboard to show only what the enabled tools
// show (no invoice totals with Invoices off).
func (m *toolMatrix) checkDashboard(t *testing.T, tools toolSet, dash string) {
	t.Helper()
	f := m.f
	if !strings.Contains(dash, f.A1.Marker("sharednote")) {
		t.Error("dashboard lacks the client-visible note")
	}
	want := map[workspace.Tool]string{workspace.ToolTasks: "tasktitle", workspace.ToolTickets: "ticketsubj", workspace.ToolInvoices: "sentinvoice"}
	for tool, kind := range want {
		if strings.Contains(dash, f.A1.Marker(kind)) != tools.on(tool) {
			t.Errorf("dashboard shows %s: %v, tool enabled %v", kind, !tools.on(tool), tools.on(tool))
		}
	}
	if !tools.on(workspace.ToolInvoices) {
		low := strings.ToLower(text(dash))
		if strings.Contains(low, "invoice") || strings.Contains(dash, "€") || strings.Contains(dash, "180") {
			t.Error("dashboard mentions invoices, amounts or counts with Invoices off")
		}
	}
	if !tools.on(workspace.ToolMessages) && strings.Contains(dash, f.A1.Marker("staffmsg")) {
		t.Error("dashboard shows a message with Messages off")
	}
}

// checkForeignIDs wants every id the client does not own to be 404 in the
// enabled tools.
func (m *toolMatrix) checkForeignIDs(t *testing.T, tools toolSet) {
	t.Helper()
	for _, id := range m.foreignIDs {
		if tools.on(workspace.ToolTickets) {
			if r := m.b.Get(m.host, "/tickets/"+id); r.Status != http.StatusNotFound {
				t.Errorf("GET /tickets/%s: %d", id, r.Status)
			}
			if r := m.b.Post(m.host, "/tickets/"+id+"/replies", servertest.Values("body", "hello")); r.Status != http.StatusNotFound {
				t.Errorf("reply to foreign ticket %s: %d", id, r.Status)
			}
		}
		if tools.on(workspace.ToolInvoices) {
			if r := m.b.Get(m.host, "/invoices/"+id); r.Status != http.StatusNotFound {
				t.Errorf("GET /invoices/%s: %d", id, r.Status)
			}
		}
	}
}
