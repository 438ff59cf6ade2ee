package api_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"workrate/auth"
	"workrate/fixture"
	"workrate/migrations/testdb"
	"workrate/server/servertest"
)

func TestAPIWorkspaceData(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			f := fixture.New(t, db.DB)
			key, _, err := auth.NewStore(db.DB).CreateAPIKey(context.Background(), f.A.ID, "Sync", "test")
			if err != nil {
				t.Fatal(err)
			}
			env := servertest.New(t, db)
			b := env.Browser()
			host, ws := "agency-a.localhost", "/api/v1/workspaces/"+f.A1.ID
			d := &dataRun{t: t, f: f, ws: ws, send: func(method, path, body string) *servertest.Response {
				return b.JSON(method, host, path, key, body)
			}}

			d.tasks()
			d.messages()
			kid := d.tickets()
			iid := d.invoices()
			d.notes()
			d.refusals(kid, iid)
		})
	}
}

// dataRun is TestAPIWorkspaceData's client of workspace A1, one method per
// kind of data.
type dataRun struct {
	t    *testing.T
	f    *fixture.Fixture
	ws   string // the workspace's API path
	send func(method, path, body string) *servertest.Response
}

// call sends a request and decodes its JSON object answer.
func (d *dataRun) call(method, path, body string) (*servertest.Response, map[string]any) {
	r := d.send(method, path, body)
	var m map[string]any
	_ = json.Unmarshal([]byte(r.Body), &m)
	return r, m
}

// tasks creates, moves and lists a task.
func (d *dataRun) tasks() {
	t, f, ws, call := d.t, d.f, d.ws, d.call
	r, task := call("POST", ws+"/tasks", `{"title":"API task","description":"d","due_on":"2026-05-01","assignee_id":"`+f.StaffA.ID+`"}`)
	if r.Status != 201 || task["status"] != "todo" || task["assignee_id"] != f.StaffA.ID {
		t.Fatalf("create task = %d %s", r.Status, r.Body)
	}
	tid := task["id"].(string)
	if r, task = call("PATCH", ws+"/tasks/"+tid, `{"status":"done"}`); r.Status != 200 || task["status"] != "done" || task["title"] != "API task" {
		t.Errorf("move task = %d %s", r.Status, r.Body)
	}
	if r, _ := call("GET", ws+"/tasks", ""); !strings.Contains(r.Body, "API task") || !strings.Contains(r.Body, f.A1.Marker("tasktitle")) {
		t.Errorf("task list = %s", r.Body)
	}
}

// messages posts a message and pages the thread.
func (d *dataRun) messages() {
	t, ws, call := d.t, d.ws, d.call
	if r, m := call("POST", ws+"/messages", `{"body":"Hello from the API"}`); r.Status != 201 || m["author_kind"] != "api" || m["author_name"] != "Sync" {
		t.Errorf("post message = %d %s", r.Status, r.Body)
	}
	if r, _ := call("GET", ws+"/messages?limit=1", ""); !strings.Contains(r.Body, "Hello from the API") || strings.Contains(r.Body, `"next_cursor":null`) {
		t.Errorf("newest message page = %s", r.Body)
	}
}

// tickets creates, updates and comments a ticket; it returns its id.
func (d *dataRun) tickets() string {
	t, f, ws, call := d.t, d.f, d.ws, d.call
	r, tk := call("POST", ws+"/tickets", `{"subject":"API ticket","body":"b"}`)
	if r.Status != 201 || tk["priority"] != "normal" || tk["number"] != float64(2) || tk["from_client"] != false {
		t.Fatalf("create ticket = %d %s", r.Status, r.Body)
	}
	kid := tk["id"].(string)
	if r, tk = call("PATCH", ws+"/tickets/"+kid, `{"status":"resolved","priority":"urgent"}`); r.Status != 200 || tk["status"] != "resolved" {
		t.Errorf("patch ticket = %d %s", r.Status, r.Body)
	}
	if r, c := call("POST", ws+"/tickets/"+kid+"/comments", `{"body":"team only","internal":true}`); r.Status != 201 || c["internal"] != true {
		t.Errorf("comment = %d %s", r.Status, r.Body)
	}
	if r, _ := call("GET", ws+"/tickets/"+f.A1.TicketID, ""); !strings.Contains(r.Body, f.A1.Marker("internalcomment")) || !strings.Contains(r.Body, `"comments":[`) {
		t.Errorf("ticket with comments = %s", r.Body)
	}
	if r, _ := call("GET", ws+"/tickets?status=resolved", ""); !strings.Contains(r.Body, "API ticket") || strings.Contains(r.Body, f.A1.Marker("ticketsubj")) {
		t.Errorf("filtered tickets = %s", r.Body)
	}
	return kid
}

// invoices creates and pays an invoice (totals by the server, overdue derived); it returns its id.
func (d *dataRun) invoices() string {
	t, ws, call := d.t, d.ws, d.call
	r, inv := call("POST", ws+"/invoices", `{"number":"API-1","issued_on":"2020-01-01","due_on":"2020-01-31","currency":"usd","status":"sent","lines":[{"description":"Work","quantity":2.5,"unit_price_cents":1000},{"description":"Fee","quantity":1,"unit_price_cents":99}]}`)
	if r.Status != 201 || inv["total_cents"] != float64(2599) || inv["overdue"] != true || inv["currency"] != "USD" {
		t.Fatalf("create invoice = %d %s", r.Status, r.Body)
	}
	iid := inv["id"].(string)
	if r, inv = call("PATCH", ws+"/invoices/"+iid, `{"status":"paid","paid_on":"2020-02-03"}`); r.Status != 200 || inv["paid_on"] != "2020-02-03" || inv["overdue"] != false {
		t.Errorf("pay = %d %s", r.Status, r.Body)
	}
	if r, _ := call("GET", ws+"/invoices/"+iid, ""); !strings.Contains(r.Body, `"amount_cents":2500`) {
		t.Errorf("invoice lines = %s", r.Body)
	}
	return iid
}

// notes adds notes: agency_only defaults to true.
func (d *dataRun) notes() {
	t, ws, call := d.t, d.ws, d.call
	if r, n := call("POST", ws+"/notes", `{"body":"API note"}`); r.Status != 201 || n["agency_only"] != true {
		t.Errorf("note = %d %s", r.Status, r.Body)
	}
	if r, n := call("POST", ws+"/notes", `{"body":"Shared","agency_only":false}`); r.Status != 201 || n["agency_only"] != false {
		t.Errorf("shared note = %d %s", r.Status, r.Body)
	}
}

// refusals wants bad requests refused with their status and the error
// envelope; kid and iid are a ticket and an invoice of the workspace.
func (d *dataRun) refusals(kid, iid string) {
	t, f, ws := d.t, d.f, d.ws
	bad := []struct {
		name, method, path, body string
		status                   int
	}{
		{"task without title", "POST", ws + "/tasks", `{"description":"x"}`, 422},
		{"task unknown status", "POST", ws + "/tasks", `{"title":"x","status":"later"}`, 422},
		{"task bad date", "POST", ws + "/tasks", `{"title":"x","due_on":"tomorrow"}`, 422},
		{"task foreign assignee", "POST", ws + "/tasks", `{"title":"x","assignee_id":"` + f.StaffB.ID + `"}`, 422},
		{"task title wrong type", "POST", ws + "/tasks", `{"title":["x"]}`, 400},
		{"task of another workspace", "PATCH", ws + "/tasks/" + f.A2.TaskID, `{"status":"done"}`, 404},
		{"message empty", "POST", ws + "/messages", `{"body":""}`, 422},
		{"message missing", "POST", ws + "/messages", `{}`, 422},
		{"ticket bad priority", "POST", ws + "/tickets", `{"subject":"x","priority":"asap"}`, 422},
		{"ticket bad status", "PATCH", ws + "/tickets/" + kid, `{"status":"done"}`, 422},
		{"ticket filter unknown", "GET", ws + "/tickets?status=nope", ``, 422},
		{"comment on another workspace's ticket", "POST", ws + "/tickets/" + f.A2.TicketID + "/comments", `{"body":"x"}`, 404},
		{"comment internal not bool", "POST", ws + "/tickets/" + kid + "/comments", `{"body":"x","internal":"yes"}`, 400},
		{"invoice negative quantity", "POST", ws + "/invoices", `{"number":"N1","issued_on":"2026-01-01","due_on":"2026-01-02","currency":"EUR","lines":[{"description":"x","quantity":-1,"unit_price_cents":1}]}`, 422},
		{"invoice negative price", "POST", ws + "/invoices", `{"number":"N1","issued_on":"2026-01-01","due_on":"2026-01-02","currency":"EUR","lines":[{"description":"x","quantity":1,"unit_price_cents":-1}]}`, 422},
		{"invoice no lines", "POST", ws + "/invoices", `{"number":"N1","issued_on":"2026-01-01","due_on":"2026-01-02","currency":"EUR","lines":[]}`, 422},
		{"invoice missing currency", "POST", ws + "/invoices", `{"number":"N1","issued_on":"2026-01-01","due_on":"2026-01-02","lines":[{"description":"x","quantity":1,"unit_price_cents":1}]}`, 422},
		{"invoice line missing quantity", "POST", ws + "/invoices", `{"number":"N1","issued_on":"2026-01-01","due_on":"2026-01-02","currency":"EUR","lines":[{"description":"x","unit_price_cents":1}]}`, 422},
		{"invoice unknown status", "PATCH", ws + "/invoices/" + iid, `{"status":"lost"}`, 422},
		{"invoice number taken", "POST", ws + "/invoices", `{"number":"API-1","issued_on":"2026-01-01","due_on":"2026-01-02","currency":"EUR","lines":[{"description":"x","quantity":1,"unit_price_cents":1}]}`, 409},
		{"invoice line unknown field", "POST", ws + "/invoices", `{"number":"N2","issued_on":"2026-01-01","due_on":"2026-01-02","currency":"EUR","lines":[{"description":"x","quantity":1,"unit_price_cents":1,"vat":20}]}`, 400},
		{"note body missing", "POST", ws + "/notes", `{"agency_only":true}`, 422},
		{"invoice of another workspace", "GET", ws + "/invoices/" + f.A2.SentInvoiceID, ``, 404},
		{"unknown workspace", "GET", "/api/v1/workspaces/0190c5a2-0000-7000-8000-000000000000/tasks", ``, 404},
	}
	for _, c := range bad {
		r := d.send(c.method, c.path, c.body)
		if r.Status != c.status {
			t.Errorf("%s: %d, want %d: %s", c.name, r.Status, c.status, r.Body)
			continue
		}
		apiErrorOf(t, r)
	}
}
