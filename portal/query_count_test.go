package portal_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"workrate/auth"
	"workrate/migrations/testdb"
	"workrate/server/servertest"
	"workrate/store"
	"workrate/workspace"
)

// maxPageQueries is the most queries any portal page may make.
const maxPageQueries = 6

// TestPortalPagesMakeFewQueriesWhateverTheDataSize opens every portal page,
// signed in with every tool on, first with 3 then with 60 tickets, comments,
// messages, tasks and invoices: no page makes more than maxPageQueries
// queries, and no page's count grows with the data (an N+1 fails).
func TestPortalPagesMakeFewQueriesWhateverTheDataSize(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			counter := &store.QueryCounter{}
			db.DB = db.WithQueryHook(counter) // every query of the app below is counted
			s := newSite(t, db)
			s.grant(t, s.A, s.A1, "client@example.com", "temporary-pass-31", "dashboard", "tickets", "messages", "tasks", "invoices")
			b := s.signIn(t, acme, "client@example.com", "temporary-pass-31", "own-password-4242")
			ws := workspace.NewStore(db.DB)
			sc := workspace.StaffScope(s.A.ID, s.A1)
			staff := workspace.Actor{Kind: "staff", ID: "s1", Name: "Nora Winters"}

			g := &dataGrower{ws: ws, sc: sc, staff: staff}
			grow := func(n int) { g.grow(t, n) }
			q := queryProbe{site: s, browser: b, counter: counter}
			count := func(path string) int64 { return q.count(t, path) }
			grow(3)
			pages := []string{"/", "/tickets", "/tickets/" + g.ticketID, "/messages", "/tasks", "/invoices", "/invoices/" + g.invoiceID}
			small := map[string]int64{}
			for _, p := range pages {
				small[p] = count(p)
			}
			grow(60)
			for _, p := range pages {
				t.Run(p, func(t *testing.T) {
					big := count(p)
					t.Logf("%s: %d queries with 3 rows each, %d with 60", p, small[p], big)
					if big > maxPageQueries || small[p] > maxPageQueries {
						t.Errorf("%s: %d then %d queries, want at most %d", p, small[p], big, maxPageQueries)
					}
					if big != small[p] {
						t.Errorf("%s: %d queries with 3 rows each, %d with 60: the count grows with the data", p, small[p], big)
					}
				})
			}
			// Nothing changed since: the dashboard's content is the one kept
			// for this data version, and only the session is checked.
			if n := count("/"); n != 1 {
				t.Errorf("/ again with unchanged data: %d queries, want 1 (the session check)", n)
			}
		})
	}
}

// dataGrower adds rows of every kind to a workspace as a staff member.
type dataGrower struct {
	ws                  *workspace.Store
	sc                  workspace.Scope
	staff               workspace.Actor
	have                int    // rows of each kind so far
	ticketID, invoiceID string // the first ticket (it gets the comments) and invoice
}

// grow adds rows until there are n of each kind.
func (g *dataGrower) grow(t *testing.T, n int) {
	t.Helper()
	ws, sc, staff := g.ws, g.sc, g.staff
	for ; g.have < n; g.have++ {
		have := g.have
		tk, err := ws.CreateTicket(ctx, sc, staff, workspace.TicketInput{Subject: fmt.Sprintf("Ticket %d", have), Body: "body"})
		if err != nil {
			t.Fatal(err)
		}
		if g.ticketID == "" {
			g.ticketID = tk.ID
		}
		if _, err := ws.AddComment(ctx, sc, staff, g.ticketID, fmt.Sprintf("Comment %d", have), false); err != nil {
			t.Fatal(err)
		}
		if _, err := ws.PostMessage(ctx, sc, staff, fmt.Sprintf("Message %d", have)); err != nil {
			t.Fatal(err)
		}
		status := []string{workspace.TaskTodo, workspace.TaskInProgress, workspace.TaskReview}[have%3]
		if _, err := ws.CreateTask(ctx, sc, staff, workspace.TaskInput{Title: fmt.Sprintf("Task %d", have), Status: status}); err != nil {
			t.Fatal(err)
		}
		inv, err := ws.CreateInvoice(ctx, sc, staff, workspace.InvoiceInput{Number: fmt.Sprintf("INV-%03d", have),
			IssuedOn: "2026-11-01", DueOn: "2026-11-30", Currency: "EUR", Status: workspace.InvoiceSent,
			Lines: []workspace.LineInput{{Description: "Design", Quantity: 2, UnitPriceCents: 9900}, {Description: "Print", Quantity: 1, UnitPriceCents: 500}}})
		if err != nil {
			t.Fatal(err)
		}
		if g.invoiceID == "" {
			g.invoiceID = inv.ID
		}
	}
}

// queryProbe opens portal pages as the signed-in client and counts queries.
type queryProbe struct {
	site    *site
	browser *servertest.Browser
	counter *store.QueryCounter
}

// count opens path as the signed-in client and returns the queries the
// request made.
func (q queryProbe) count(t *testing.T, path string) int64 {
	t.Helper()
	reqCtx, n := store.CountQueries(ctx)
	req := httptest.NewRequest(http.MethodGet, "http://workrate.test"+path, nil).WithContext(reqCtx)
	req.Host = acme
	req.RemoteAddr = "192.0.2.10:40000"
	for _, name := range []string{auth.CookieName(false), auth.CookieName(true)} {
		if c := q.browser.Cookie(acme, name); c != nil {
			req.AddCookie(c)
		}
	}
	before := q.counter.Total()
	rec := httptest.NewRecorder()
	q.site.App.Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("%s: %d", path, rec.Code)
	}
	if all := q.counter.Total() - before; all != n.Load() {
		t.Errorf("%s: %d queries ran, only %d with the request's context", path, all, n.Load())
	}
	return n.Load()
}
