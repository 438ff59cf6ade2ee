package agency_test

import (
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
