package agency_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"workrate/migrations/testdb"
	"workrate/server/servertest"
)

func TestWorkspaceListCreateEdit(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			w := newWorld(t, db)
			b := w.signIn("A-member", w.hostA)
			if r := b.Get(w.hostA, "/staff/workspaces"); r.Status != 200 || !strings.Contains(r.Body, "No client workspaces yet") {
				t.Fatalf("empty state = %d", r.Status)
			}
			bad := []struct {
				name, wsName, email, msg string
			}{
				{"no name", "  ", "", "fill in this field"},
				{"bad email", "Globex", "not-an-email", "valid email address"},
				{"long name", strings.Repeat("x", 121), "", "at most 120 characters"},
			}
			for _, c := range bad {
				r := b.Post(w.hostA, "/staff/workspaces", servertest.Values("name", c.wsName, "contact_email", c.email))
				if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, c.msg) || !strings.Contains(r.Body, `value="`+c.email+`"`) {
					t.Errorf("%s: %d, want the form again with %q", c.name, r.Status, c.msg)
				}
			}
			r := b.Post(w.hostA, "/staff/workspaces", servertest.Values("name", "Globex Corporation", "contact_email", "Hank@Globex.example"))
			if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location(), "/staff/workspaces/") {
				t.Fatalf("create = %d %q", r.Status, r.Location())
			}
			id := strings.Split(r.Location(), "/")[3]
			for i := range 27 {
				b.Post(w.hostA, "/staff/workspaces", servertest.Values("name", fmt.Sprintf("Client %02d", i)))
			}
			r = b.Get(w.hostA, "/staff/workspaces")
			if !strings.Contains(r.Body, "Client 00") || strings.Contains(r.Body, "Globex") || !strings.Contains(r.Body, "cursor=") {
				t.Fatalf("first page: want 25 names in order and a next link")
			}
			next := r.Body[strings.Index(r.Body, `href="/staff/workspaces?cursor=`)+6:]
			next = strings.ReplaceAll(next[:strings.IndexByte(next, '"')], "&amp;", "&")
			if r := b.Get(w.hostA, next); !strings.Contains(r.Body, "Globex Corporation") || strings.Contains(r.Body, "Client 00") {
				t.Fatalf("second page %s lacks Globex", next)
			}
			if r := b.Get(w.hostA, "/staff/workspaces?q=GLOBEX"); !strings.Contains(r.Body, "Globex Corporation") || strings.Contains(r.Body, "Client 01") {
				t.Fatalf("search failed")
			}
			if r := b.Get(w.hostA, "/staff/workspaces?q=nothing-like-this"); !strings.Contains(r.Body, "nothing-like-this") {
				t.Fatalf("no-match message missing")
			}
			if r := b.Get(w.hostA, "/staff/workspaces?cursor=garbage"); r.Status != 200 {
				t.Fatalf("junk cursor = %d", r.Status)
			}

			// Settings: edit, with the Client Portal slot.
			r = b.Get(w.hostA, "/staff/workspaces/"+id+"/settings")
			if r.Status != 200 || !strings.Contains(r.Body, "hank@globex.example") || !strings.Contains(r.Body, "Client Portal") {
				t.Fatalf("settings = %d", r.Status)
			}
			if r := b.Post(w.hostA, "/staff/workspaces/"+id+"/settings", servertest.Values("name", "", "contact_email", "")); r.Status != 422 {
				t.Fatalf("empty name = %d", r.Status)
			}
			if r := b.Post(w.hostA, "/staff/workspaces/"+id+"/settings", servertest.Values("name", "Globex Inc", "contact_email", "")); r.Status != http.StatusSeeOther {
				t.Fatalf("save = %d", r.Status)
			}
			if r := b.Get(w.hostA, "/staff/workspaces/"+id+"/settings"); !strings.Contains(r.Body, "Globex Inc") || strings.Contains(r.Body, "hank@") {
				t.Fatalf("saved settings not shown")
			}
			// Another agency's staff finds nothing.
			bb := w.signIn("B-owner", w.hostB)
			for _, p := range []string{"/staff/workspaces/" + id + "/settings", "/staff/workspaces/" + id} {
				if r := bb.Get(w.hostB, p); r.Status != 404 || strings.Contains(r.Body, "Globex") {
					t.Errorf("B GET %s = %d", p, r.Status)
				}
			}
			if r := bb.Get(w.hostB, "/staff/workspaces?q=globex"); strings.Contains(r.Body, "Globex") {
				t.Error("B's search finds A's workspace")
			}
		})
	}
}

func TestAPIWorkspaces(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			w := newWorld(t, db)
			key := w.apiKey(w.A)
			b := w.env.Browser()
			r := b.JSON("POST", w.hostA, "/api/v1/workspaces", key, `{"name":"Initech","contact_email":"Bill@Initech.example"}`)
			if r.Status != http.StatusCreated {
				t.Fatalf("create = %d %s", r.Status, r.Body)
			}
			var ws map[string]any
			_ = json.Unmarshal([]byte(r.Body), &ws)
			if len(ws) != 4 || ws["name"] != "Initech" || ws["contact_email"] != "bill@initech.example" || ws["id"] == "" || ws["created_at"] == "" {
				t.Fatalf("workspace = %v", ws)
			}
			id := ws["id"].(string)
			for i := range 3 {
				b.JSON("POST", w.hostA, "/api/v1/workspaces", key, fmt.Sprintf(`{"name":"Client %d"}`, i))
			}
			// Pagination: limit 3 then the rest.
			var page struct {
				Items      []map[string]any `json:"items"`
				NextCursor *string          `json:"next_cursor"`
			}
			r = b.JSON("GET", w.hostA, "/api/v1/workspaces?limit=3", key, "")
			if err := json.Unmarshal([]byte(r.Body), &page); err != nil || len(page.Items) != 3 || page.NextCursor == nil {
				t.Fatalf("first page = %s", r.Body)
			}
			r = b.JSON("GET", w.hostA, "/api/v1/workspaces?limit=3&cursor="+*page.NextCursor, key, "")
			page.NextCursor = nil
			if err := json.Unmarshal([]byte(r.Body), &page); err != nil || len(page.Items) != 1 || page.NextCursor != nil || page.Items[0]["name"] != "Initech" {
				t.Fatalf("second page = %s", r.Body)
			}
			if !strings.Contains(r.Body, `"next_cursor":null`) {
				t.Errorf("last page does not say next_cursor null: %s", r.Body)
			}
			r = b.JSON("PATCH", w.hostA, "/api/v1/workspaces/"+id, key, `{"name":"Initech Ltd"}`)
			if r.Status != 200 || !strings.Contains(r.Body, `"Initech Ltd"`) || !strings.Contains(r.Body, "bill@initech.example") {
				t.Fatalf("patch = %d %s", r.Status, r.Body)
			}
			if r := b.JSON("GET", w.hostA, "/api/v1/workspaces/"+id, key, ""); r.Status != 200 || !strings.Contains(r.Body, "Initech Ltd") {
				t.Fatalf("get = %d", r.Status)
			}
			bad := []struct {
				name, method, path, body string
				status                   int
				code                     string
			}{
				{"missing name", "POST", "/api/v1/workspaces", `{"contact_email":"a@b.example"}`, 422, "invalid_field"},
				{"blank name", "POST", "/api/v1/workspaces", `{"name":"  "}`, 422, "invalid_field"},
				{"bad email", "POST", "/api/v1/workspaces", `{"name":"X","contact_email":"nope"}`, 422, "invalid_field"},
				{"name not a string", "POST", "/api/v1/workspaces", `{"name":5}`, 400, "invalid_type"},
				{"unknown field", "POST", "/api/v1/workspaces", `{"name":"X","id":"forged"}`, 400, "unknown_field"},
				{"array body", "POST", "/api/v1/workspaces", `[]`, 400, "invalid_type"},
				{"patch bad email", "PATCH", "/api/v1/workspaces/" + id, `{"contact_email":"@@"}`, 422, "invalid_field"},
				{"junk id", "GET", "/api/v1/workspaces/junk", ``, 404, "not_found"},
				{"unknown id", "PATCH", "/api/v1/workspaces/0190c5a2-0000-7000-8000-000000000000", `{"name":"X"}`, 404, "not_found"},
				{"bad cursor", "GET", "/api/v1/workspaces?cursor=!!", ``, 400, "invalid_cursor"},
				{"bad limit", "GET", "/api/v1/workspaces?limit=1000", ``, 400, "invalid_parameter"},
			}
			for _, c := range bad {
				r := b.JSON(c.method, w.hostA, c.path, key, c.body)
				if r.Status != c.status {
					t.Errorf("%s: %d, want %d: %s", c.name, r.Status, c.status, r.Body)
					continue
				}
				if code, _ := apiErrorOf(t, r); code != c.code {
					t.Errorf("%s: code %s, want %s", c.name, code, c.code)
				}
			}
			// Another agency's key: 404, and its list has none of A's.
			keyB := w.apiKey(w.B)
			if r := b.JSON("GET", w.hostB, "/api/v1/workspaces/"+id, keyB, ""); r.Status != 404 || strings.Contains(r.Body, "Initech") {
				t.Errorf("B reads A's workspace: %d", r.Status)
			}
			if r := b.JSON("GET", "localhost", "/api/v1/workspaces", keyB, ""); strings.Contains(r.Body, "Initech") || !strings.Contains(r.Body, `"items":[]`) {
				t.Errorf("B's list = %s", r.Body)
			}
		})
	}
}
