package formtoken_test

import (
	"context"
	"net/http"
	"regexp"
	"testing"

	"workrate/access"
	"workrate/migrations/testdb"
	"workrate/server/servertest"
	"workrate/store"
	"workrate/tenant"
)

var tokenRE = regexp.MustCompile(`<form[^>]*action="/tickets"[^>]*>\s*<input type="hidden" name="form_token" value="([^"]+)">`)

// TestPortalDoubleSubmitCreatesOneTicket drives the whole app: a client's
// new-ticket form sent twice (a double click, or a retry after a lost answer)
// creates one ticket, and both answers are the same redirect.
func TestPortalDoubleSubmitCreatesOneTicket(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			ctx := context.Background()
			a, err := tenant.NewStore(db.DB).CreateAgency(ctx, "Acme", "acme")
			if err != nil {
				t.Fatal(err)
			}
			ws, now := store.NewID(), store.Now()
			if _, err := db.ExecContext(ctx, "INSERT INTO workspaces (id, agency_id, name, created_at, updated_at) VALUES (?, ?, ?, ?, ?)", ws, a.ID, "Bakery", now, now); err != nil {
				t.Fatal(err)
			}
			env := servertest.New(t, db)
			email, tools := "client@bakery.example", []string{"tickets"}
			if _, err := env.App.Access().Save(ctx, *a, ws, access.Actor{Kind: access.ActorStaff, ID: "s", Name: "Staff"},
				access.Input{Enabled: true, LoginEmail: &email, TemporaryPassword: "temporary password 1", Tools: &tools}); err != nil {
				t.Fatal(err)
			}
			host := "acme.localhost"
			b := env.Browser()
			if r := b.Post(host, "/login", servertest.Values("email", email, "password", "temporary password 1")); r.Status != http.StatusSeeOther {
				t.Fatalf("login = %d", r.Status)
			}
			if r := b.Post(host, "/password", servertest.Values("new_password", "a new password 22", "confirm_password", "a new password 22")); r.Status != http.StatusSeeOther {
				t.Fatalf("password = %d %s", r.Status, r.Body)
			}
			page := b.Get(host, "/tickets")
			m := tokenRE.FindStringSubmatch(page.Body)
			if m == nil {
				t.Fatalf("the new-ticket form carries no form_token:\n%.2000s", page.Body)
			}
			form := servertest.Values("subject", "Oven broken", "body", "It does not heat", "form_token", m[1])
			first := b.Post(host, "/tickets", form)
			second := b.Post(host, "/tickets", form)
			if first.Status != http.StatusSeeOther || second.Status != first.Status || second.Location() != first.Location() {
				t.Fatalf("first %d %s, second %d %s", first.Status, first.Location(), second.Status, second.Location())
			}
			count := func() int {
				var n int
				if err := db.NewRaw("SELECT count(*) FROM tickets WHERE workspace_id = ?", ws).Scan(ctx, &n); err != nil {
					t.Fatal(err)
				}
				return n
			}
			if n := count(); n != 1 {
				t.Fatalf("tickets after a double submit: %d, want 1", n)
			}
			// A form without the token (an older page, a script) still works.
			b.Post(host, "/tickets", servertest.Values("subject", "Door", "body", "Squeaks"))
			if n := count(); n != 2 {
				t.Fatalf("tickets after a submit without token: %d, want 2", n)
			}
		})
	}
}
