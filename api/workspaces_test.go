package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"workrate/migrations/testdb"
	"workrate/server/servertest"
)

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
			checkWorkspacePages(t, b, w.hostA, key)
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

// checkWorkspacePages pages four workspaces by three: limit 3, then the rest
// (the oldest, "Initech") with next_cursor null.
func checkWorkspacePages(t *testing.T, b *servertest.Browser, host, key string) {
	t.Helper()
	var page struct {
		Items      []map[string]any `json:"items"`
		NextCursor *string          `json:"next_cursor"`
	}
	r := b.JSON("GET", host, "/api/v1/workspaces?limit=3", key, "")
	if err := json.Unmarshal([]byte(r.Body), &page); err != nil || len(page.Items) != 3 || page.NextCursor == nil {
		t.Fatalf("first page = %s", r.Body)
	}
	r = b.JSON("GET", host, "/api/v1/workspaces?limit=3&cursor="+*page.NextCursor, key, "")
	page.NextCursor = nil
	if err := json.Unmarshal([]byte(r.Body), &page); err != nil || len(page.Items) != 1 || page.NextCursor != nil || page.Items[0]["name"] != "Initech" {
		t.Fatalf("second page = %s", r.Body)
	}
	if !strings.Contains(r.Body, `"next_cursor":null`) {
		t.Errorf("last page does not say next_cursor null: %s", r.Body)
	}
}
