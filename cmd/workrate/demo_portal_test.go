package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"workrate/auth"
	"workrate/migrations/testdb"
	"workrate/server/servertest"
	"workrate/tenant"
	"workrate/workspace"
)

// TestDemoClientLogin runs the demo twice and signs in with the client login
// it prints: every tool shows, and the Client Portal section has a history.
func TestDemoClientLogin(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			ctx := context.Background()
			var out struct {
				Client struct{ URL, Email, Password, Note string } `json:"client"`
			}
			for range 2 {
				var buf bytes.Buffer
				if err := runDemo(ctx, []string{"--database-url", db.URL}, &buf); err != nil {
					t.Fatal(err)
				}
				if err := json.Unmarshal(buf.Bytes(), &out); err != nil {
					t.Fatalf("demo output: %v\n%s", err, buf.String())
				}
			}
			if out.Client.Email == "" || out.Client.Password == "" || !strings.Contains(out.Client.Note, "permanent") ||
				out.Client.URL != "http://northwind.localhost:8080/login" {
				t.Fatalf("client login = %+v", out.Client)
			}
			a, err := tenant.NewStore(db.DB).AgencyBySlug(ctx, demoSlug)
			if err != nil {
				t.Fatal(err)
			}
			w, err := demoClientWorkspace(ctx, workspace.NewStore(db.DB), a.ID, demoClients()[0].name)
			if err != nil {
				t.Fatal(err)
			}
			if out.Client.Email != demoClients()[0].contact {
				t.Errorf("client email %s", out.Client.Email)
			}
			as := auth.NewStore(db.DB)
			if at, _ := as.AttemptsOf(ctx, a.ID, w.ID, 10); len(at) < 2 {
				t.Errorf("attempts: %d", len(at))
			}
			if ev, _ := as.PortalEventsOf(ctx, a.ID, w.ID, 20); len(ev) < 4 {
				t.Errorf("events: %d", len(ev))
			}

			env := servertest.New(t, db)
			b := env.Browser()
			host := "northwind.localhost"
			if r := b.Post(host, "/login", servertest.Values("email", out.Client.Email, "password", out.Client.Password)); r.Status != http.StatusSeeOther || r.Location() != "/" {
				t.Fatalf("client login: %d %s", r.Status, r.Location())
			}
			home := b.Get(host, "/")
			for _, tool := range workspace.AllTools() {
				if !strings.Contains(home.Body, `data-tool="`+string(tool)+`"`) {
					t.Errorf("demo client lacks %s", tool)
				}
			}
			for _, p := range []string{"/tickets", "/messages", "/tasks", "/invoices"} {
				if r := b.Get(host, p); r.Status != 200 || !strings.Contains(r.Body, "<main") {
					t.Errorf("%s: %d", p, r.Status)
				}
			}
		})
	}
}
