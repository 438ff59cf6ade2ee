package agency_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"workrate/auth"
	"workrate/fixture"
	"workrate/migrations/testdb"
	"workrate/server/servertest"
	"workrate/workspace"
)

// staffOfFixture signs in agency A's fixture staff member.
func staffOfFixture(t *testing.T, db testdb.DB) (*fixture.Fixture, *servertest.Env, *servertest.Browser) {
	t.Helper()
	f := fixture.New(t, db.DB)
	hash, err := auth.HashPassword(pw, cheap)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := auth.NewStore(db.DB).SetStaffPassword(context.Background(), f.A.ID, f.StaffA.ID, hash); err != nil {
		t.Fatal(err)
	}
	env := servertest.New(t, db)
	b := env.Browser()
	if r := b.Post("agency-a.localhost", "/staff/login", servertest.Values("email", f.StaffA.Email, "password", pw)); r.Status != http.StatusSeeOther {
		t.Fatalf("sign-in = %d", r.Status)
	}
	return f, env, b
}

func TestWorkspacePagesShowEverythingToStaff(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			f, _, b := staffOfFixture(t, db)
			host, ws := "agency-a.localhost", "/staff/workspaces/"+f.A1.ID
			pages := []struct {
				path string
				want []string
			}{
				{ws + "/tasks", []string{f.A1.Marker("tasktitle"), "To do", "In progress", "Review", "Done", "Staff A"}},
				{ws + "/tasks/" + f.A1.TaskID, []string{f.A1.Marker("taskdesc"), `value="2026-02-15"`}},
				{ws + "/messages", []string{f.A1.Marker("staffmsg"), f.A1.Marker("clientmsg"), "From the client"}},
				{ws + "/tickets", []string{f.A1.Marker("ticketsubj"), "From the client"}},
				{ws + "/tickets?status=closed", []string{"No tickets here."}},
				{ws + "/tickets/" + f.A1.TicketID, []string{f.A1.Marker("publiccomment"), f.A1.Marker("internalcomment"), "Internal · team only", "Internal (team only)"}},
				{ws + "/invoices", []string{f.A1.Marker("sentinvoice"), f.A1.Marker("draftinvoice"), "Overdue", "Draft", "Paid"}},
				{ws + "/invoices/" + f.A1.SentInvoiceID, []string{f.A1.Marker("sentline"), "€180.00"}},
				{ws + "/notes", []string{f.A1.Marker("agencynote"), f.A1.Marker("sharednote"), "Agency-only", "Visible to the client"}},
				{ws + "/activity", []string{"Internal", "Client can see"}},
				{ws + "/settings", []string{"Client Portal", "/staff/workspaces/" + f.A1.ID + "/portal"}},
				{"/staff/workspaces", []string{f.A1.Marker("wsname"), f.A2.Marker("wsname")}},
			}
			for _, p := range pages {
				r := b.Get(host, p.path)
				if r.Status != http.StatusOK {
					t.Errorf("GET %s = %d: %.300s", p.path, r.Status, r.Body)
					continue
				}
				for _, w := range p.want {
					if !strings.Contains(r.Body, w) {
						t.Errorf("GET %s lacks %q", p.path, w)
					}
				}
				if strings.Contains(r.Body, "MARK-B") || strings.Contains(r.Body, "MARK-A2") && !strings.HasPrefix(p.path, "/staff/workspaces?") && p.path != "/staff/workspaces" {
					t.Errorf("GET %s shows another workspace's data", p.path)
				}
			}
		})
	}
}

func TestWorkspacePagesActions(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			f, _, b := staffOfFixture(t, db)
			w := workspace.NewStore(db.DB)
			sc := f.A1.StaffScope()
			host, ws := "agency-a.localhost", "/staff/workspaces/"+f.A1.ID
			pr := &pagesRun{f: f, w: w, sc: sc, b: b, host: host, ws: ws}
			pr.tasks(t)
			pr.messages(t)
			pr.tickets(t)
			pr.invoices(t)
			pr.notes(t)
			// Every change is on the timeline.
			if r := b.Get(host, ws+"/activity"); !strings.Contains(r.Body, "Login broken") || !strings.Contains(r.Body, "INV-9") {
				t.Errorf("activity lacks the changes")
			}
		})
	}
}

// pagesRun acts on the pages of workspace A1 as a staff member of A.
type pagesRun struct {
	f        *fixture.Fixture
	w        *workspace.Store
	sc       workspace.Scope
	b        *servertest.Browser
	host, ws string // the host and the workspace's path
}

// post submits a form to a path under the workspace.
func (pr *pagesRun) post(path string, kv ...string) *servertest.Response {
	return pr.b.Post(pr.host, pr.ws+path, servertest.Values(kv...))
}

// tasks: bad input comes back with the message, then create, move, edit, delete.
func (pr *pagesRun) tasks(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	f, w, sc, post := pr.f, pr.w, pr.sc, pr.post
	if r := post("/tasks", "title", "", "status", "todo"); r.Status != 422 || !strings.Contains(r.Body, "fill in this field") {
		t.Errorf("empty title = %d", r.Status)
	}
	if r := post("/tasks", "title", "X", "status", "todo", "due_on", "2026-02-30"); r.Status != 422 || !strings.Contains(r.Body, "real date") {
		t.Errorf("bad date = %d", r.Status)
	}
	if r := post("/tasks", "title", "X", "status", "todo", "assignee_id", f.StaffB.ID); r.Status != 422 || !strings.Contains(r.Body, "member of your team") {
		t.Errorf("assignee of another agency = %d", r.Status)
	}
	if r := post("/tasks", "title", "Write copy", "description", "Two pages", "status", "in_progress", "due_on", "2026-03-01", "assignee_id", f.StaffA.ID); r.Status != 303 {
		t.Fatalf("create task = %d", r.Status)
	}
	tasks, _ := w.Tasks(ctx, sc)
	var id string
	for _, tk := range tasks {
		if tk.Title == "Write copy" {
			id = tk.ID
			if tk.Status != "in_progress" || tk.AssigneeID != f.StaffA.ID || tk.DueOn != "2026-03-01" {
				t.Errorf("task = %+v", tk)
			}
		}
	}
	if r := post("/tasks/"+id+"/move", "status", "sideways"); r.Status != 422 {
		t.Errorf("move to unknown column = %d", r.Status)
	}
	if r := post("/tasks/"+id+"/move", "status", "done"); r.Status != 303 {
		t.Errorf("move = %d", r.Status)
	}
	if r := post("/tasks/"+id, "title", "Write copy v2", "description", "", "status", "review", "due_on", "", "assignee_id", ""); r.Status != 303 {
		t.Errorf("edit = %d", r.Status)
	}
	if tk, _ := w.Task(ctx, sc, id); tk == nil || tk.Title != "Write copy v2" || tk.Status != "review" || tk.AssigneeID != "" {
		t.Errorf("edited task = %+v", tk)
	}
	if r := post("/tasks/" + id + "/delete"); r.Status != 303 {
		t.Errorf("delete = %d", r.Status)
	}
	if _, err := w.Task(ctx, sc, id); err == nil {
		t.Error("task not deleted")
	}
}

// messages: newest at the bottom, escaped.
func (pr *pagesRun) messages(t *testing.T) {
	t.Helper()
	b, host, ws, post := pr.b, pr.host, pr.ws, pr.post
	if r := post("/messages", "body", "   "); r.Status != 422 {
		t.Errorf("empty message = %d", r.Status)
	}
	post("/messages", "body", "Second to last")
	post("/messages", "body", "The very last <b>word</b>")
	r := b.Get(host, ws+"/messages")
	if i, j := strings.Index(r.Body, "Second to last"), strings.Index(r.Body, "The very last &lt;b&gt;word&lt;/b&gt;"); i < 0 || j < i {
		t.Errorf("thread order or escaping wrong (%d, %d)", i, j)
	}
}

// tickets: create, numbers per workspace, status, internal comment.
func (pr *pagesRun) tickets(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	f, w, sc, b, host, ws, post := pr.f, pr.w, pr.sc, pr.b, pr.host, pr.ws, pr.post
	if r := post("/tickets", "subject", "", "priority", "normal"); r.Status != 422 {
		t.Errorf("empty subject = %d", r.Status)
	}
	if r := post("/tickets", "subject", "X", "priority", "whenever"); r.Status != 422 || !strings.Contains(r.Body, "one of the priorities") {
		t.Errorf("bad priority = %d", r.Status)
	}
	r := post("/tickets", "subject", "Login broken", "body", "Since Monday", "priority", "high")
	if r.Status != 303 {
		t.Fatalf("create ticket = %d", r.Status)
	}
	tid := strings.Split(strings.Split(r.Location(), "/tickets/")[1], "?")[0]
	if tk, _ := w.Ticket(ctx, sc, tid); tk == nil || tk.Number != 2 || tk.FromClient {
		t.Errorf("ticket = %+v", tk)
	}
	if r := b.Post(host, ws+"/tickets/"+tid, servertest.Values("status", "bogus", "priority", "high")); r.Status != 422 {
		t.Errorf("bad status = %d", r.Status)
	}
	if r := b.Post(host, ws+"/tickets/"+tid, servertest.Values("status", "waiting", "priority", "urgent")); r.Status != 303 {
		t.Errorf("status = %d", r.Status)
	}
	b.Post(host, ws+"/tickets/"+tid+"/comments", servertest.Values("body", "Only for us", "internal", "on"))
	b.Post(host, ws+"/tickets/"+tid+"/comments", servertest.Values("body", "For the client"))
	cs, _ := w.Comments(ctx, f.A1.ClientScope(), tid)
	if len(cs) != 1 || cs[0].Body != "For the client" {
		t.Errorf("client sees %+v", cs)
	}
	if r := b.Get(host, ws+"/tickets?status=waiting"); !strings.Contains(r.Body, "Login broken") || strings.Contains(r.Body, f.A1.Marker("ticketsubj")) {
		t.Errorf("status filter wrong")
	}
}

// invoices: bad lines come back next to the field; totals by the server.
func (pr *pagesRun) invoices(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	w, sc, b, host, ws, post := pr.w, pr.sc, pr.b, pr.host, pr.ws, pr.post
	r := post("/invoices", "number", "INV-9", "issued_on", "2026-03-01", "due_on", "2026-03-15", "currency", "EUR", "status", "draft",
		"line_description", "Design", "line_quantity", "-1", "line_unit_price", "100")
	if r.Status != 422 || !strings.Contains(r.Body, "greater than 0") {
		t.Errorf("negative quantity = %d", r.Status)
	}
	r = post("/invoices", "number", "INV-9", "issued_on", "2026-03-01", "due_on", "2026-03-15", "currency", "EUR", "status", "draft",
		"line_description", "Design", "line_quantity", "2", "line_unit_price", "abc")
	if r.Status != 422 || !strings.Contains(r.Body, "amount such as") {
		t.Errorf("bad price = %d", r.Status)
	}
	r = post("/invoices", "number", "INV-9", "issued_on", "2026-03-15", "due_on", "2026-03-01", "currency", "EUR", "status", "draft",
		"line_description", "Design", "line_quantity", "2", "line_unit_price", "100")
	if r.Status != 422 || !strings.Contains(r.Body, "before the issue date") {
		t.Errorf("due before issue = %d", r.Status)
	}
	r = b.Do("POST", host, ws+"/invoices", strings.NewReader("number=INV-9&issued_on=2026-03-01&due_on=2026-03-15&currency=eur&status=sent"+
		"&line_description=Design&line_quantity=1.5&line_unit_price=120"+
		"&line_description=Hosting&line_quantity=1&line_unit_price=29.99"+
		"&line_description=&line_quantity=&line_unit_price="), "application/x-www-form-urlencoded")
	if r.Status != 303 {
		t.Fatalf("create invoice = %d: %.500s", r.Status, r.Body)
	}
	iid := strings.Split(strings.Split(r.Location(), "/invoices/")[1], "?")[0]
	inv, _ := w.Invoice(ctx, sc, iid)
	if inv == nil || inv.TotalCents != 18000+2999 || len(inv.Lines) != 2 || inv.Currency != "EUR" {
		t.Fatalf("invoice = %+v", inv)
	}
	r = post("/invoices", "number", "INV-9", "issued_on", "2026-03-01", "due_on", "2026-03-15", "currency", "EUR", "status", "draft",
		"line_description", "X", "line_quantity", "1", "line_unit_price", "1")
	if r.Status != 422 || !strings.Contains(r.Body, "already has this number") {
		t.Errorf("taken number = %d", r.Status)
	}
	r = post("/invoices/"+iid, "number", "INV-9", "issued_on", "2026-03-01", "due_on", "2026-03-15", "currency", "EUR", "status", "paid", "paid_on", "2026-03-10",
		"line_description", "Design", "line_quantity", "1.5", "line_unit_price", "120")
	if r.Status != 303 {
		t.Fatalf("mark paid = %d: %.300s", r.Status, r.Body)
	}
	if inv, _ := w.Invoice(ctx, sc, iid); inv.Status != "paid" || inv.PaidOn != "2026-03-10" || inv.TotalCents != 18000 {
		t.Errorf("paid invoice = %+v", inv)
	}
}

// notes: agency-only is the default of the form and of a missing box.
func (pr *pagesRun) notes(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	f, w, sc, b, host, ws, post := pr.f, pr.w, pr.sc, pr.b, pr.host, pr.ws, pr.post
	if r := b.Get(host, ws+"/notes"); !strings.Contains(r.Body, `name="agency_only" value="on" checked`) {
		t.Error("Agency-only is not checked by default")
	}
	post("/notes", "body", "Prefers calls", "agency_only", "on")
	post("/notes", "body", "Kick-off on Monday")
	notes, _ := w.Notes(ctx, f.A1.ClientScope())
	for _, n := range notes {
		if n.Body == "Prefers calls" {
			t.Error("agency-only note visible to the client")
		}
	}
	if r := post("/notes", "body", ""); r.Status != 422 {
		t.Errorf("empty note = %d", r.Status)
	}
	if r := post("/notes/"+f.A1.AgencyNoteID, "body", "Edited note"); r.Status != 303 {
		t.Errorf("edit note = %d", r.Status)
	}
	if n, _ := w.Note(ctx, sc, f.A1.AgencyNoteID); n.Body != "Edited note" || n.AgencyOnly {
		t.Errorf("edited note = %+v", n)
	}
	if r := post("/notes/" + f.A1.AgencyNoteID + "/delete"); r.Status != 303 {
		t.Errorf("delete note = %d", r.Status)
	}
}
