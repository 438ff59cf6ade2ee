package server_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"workrate/auth"
	"workrate/migrations/testdb"
	"workrate/server/servertest"
	"workrate/tenant"
)

func TestHostsHealthAndHeaders(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			ctx := context.Background()
			if _, err := tenant.NewStore(db.DB).CreateAgency(ctx, "Acme Studio", "acme"); err != nil {
				t.Fatal(err)
			}
			env := servertest.New(t, db)
			b := env.Browser()

			cases := []struct {
				host, path string
				status     int
				contains   string
			}{
				{"localhost", "/", http.StatusOK, "WorkRate"},
				{"acme.localhost", "/", http.StatusSeeOther, ""},
				{"nobody.localhost", "/", http.StatusNotFound, ""},
				{"evil.example", "/", http.StatusNotFound, ""},
				{"bad host", "/", http.StatusNotFound, ""},
				{"anything.example", "/healthz", http.StatusOK, "ok"},
				{"", "/readyz", http.StatusOK, "ready"},
				{"acme.localhost", "/no/such/page", http.StatusNotFound, "Page not found"},
				{"acme.localhost", "/static/app.css", http.StatusNotFound, ""}, // only hashed names
				{"localhost", "/brand/theme/4f46e5-ffffff.css", http.StatusOK, "--brand:#4f46e5"},
				{"localhost", "/brand/theme/zzz.css", http.StatusNotFound, ""},
				{"acme.localhost", "/brand/logo/abc.png", http.StatusNotFound, ""},
			}
			for _, c := range cases {
				r := b.Get(c.host, c.path)
				if r.Status != c.status || !strings.Contains(r.Body, c.contains) {
					t.Errorf("GET %s%s = %d %.80q; want %d containing %q", c.host, c.path, r.Status, r.Body, c.status, c.contains)
				}
				for _, h := range []string{"Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy"} {
					if r.Header.Get(h) == "" {
						t.Errorf("GET %s%s: no %s header", c.host, c.path, h)
					}
				}
				if strings.Contains(r.Body, "goroutine") || strings.Contains(r.Body, "SELECT") {
					t.Errorf("GET %s%s leaks internals: %q", c.host, c.path, r.Body)
				}
			}
			// The unknown host's page names nobody.
			if r := b.Get("nobody.localhost", "/"); strings.Contains(r.Body, "WorkRate") {
				t.Errorf("unknown host page shows the platform name: %q", r.Body)
			}
			// An agency created elsewhere is served after the refresh.
			if _, err := tenant.NewStore(db.DB).CreateAgency(ctx, "Late", "late"); err != nil {
				t.Fatal(err)
			}
			if err := env.App.Resolver().Refresh(ctx); err != nil {
				t.Fatal(err)
			}
			if r := b.Get("late.localhost", "/"); r.Status != http.StatusSeeOther {
				t.Errorf("agency created after start: %d", r.Status)
			}
		})
	}
}

func TestReadyzFollowsTheDatabase(t *testing.T) {
	db := testdb.SQLite(t)
	env := servertest.New(t, db)
	b := env.Browser()
	if r := b.Get("localhost", "/readyz"); r.Status != http.StatusOK {
		t.Fatalf("readyz = %d", r.Status)
	}
	// A database that cannot answer: readyz says 503, healthz still 200.
	db.DB.DB.Close()
	if r := b.Get("localhost", "/readyz"); r.Status != http.StatusServiceUnavailable {
		t.Fatalf("readyz with the database closed = %d, want 503", r.Status)
	}
	if r := b.Get("localhost", "/healthz"); r.Status != http.StatusOK {
		t.Fatalf("healthz with the database closed = %d, want 200", r.Status)
	}
}

func TestOversizedBodyIsRefused(t *testing.T) {
	env := servertest.New(t, testdb.SQLite(t))
	r := env.Browser().Do(http.MethodPost, "localhost", "/language", strings.NewReader(strings.Repeat("a", 3<<20)), "application/x-www-form-urlencoded")
	if r.Status != http.StatusRequestEntityTooLarge {
		t.Fatalf("3 MiB body = %d, want 413", r.Status)
	}
}

func TestCrossOriginPostIsRefused(t *testing.T) {
	env := servertest.New(t, testdb.SQLite(t))
	b := env.Browser()
	b.Header.Set("Origin", "https://evil.example")
	b.Header.Set("Sec-Fetch-Site", "cross-site")
	r := b.Post("localhost", "/language", servertest.Values("lang", "de", "next", "/"))
	if r.Status != http.StatusForbidden {
		t.Fatalf("cross-site POST = %d, want 403", r.Status)
	}
	b.Header.Set("Sec-Fetch-Site", "same-origin")
	b.Header.Del("Origin")
	r = b.Post("localhost", "/language", servertest.Values("lang", "de", "next", "//evil.example/"))
	if r.Status != http.StatusSeeOther || r.Location() != "/" {
		t.Fatalf("same-origin POST = %d to %q, want 303 to /", r.Status, r.Location())
	}
	if r := b.Get("localhost", "/"); !strings.Contains(r.Body, `lang="de"`) {
		t.Fatalf("language choice not applied: %.200q", r.Body)
	}
}

func TestCleanupRemovesEndedSessionsOnly(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			ctx := context.Background()
			env := servertest.New(t, db)
			s := auth.NewStore(db.DB)
			long := auth.SessionPolicy{Idle: time.Hour, Max: time.Hour}
			live, err := s.CreateSession(ctx, &auth.Session{Kind: auth.KindOperator, SubjectID: "op", Host: "localhost", SessionVersion: 1}, long)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.CreateSession(ctx, &auth.Session{Kind: auth.KindOperator, SubjectID: "op", Host: "localhost", SessionVersion: 1}, auth.SessionPolicy{Idle: time.Hour, Max: -time.Minute}); err != nil {
				t.Fatal(err)
			}
			if err := env.App.Cleanup(ctx); err != nil {
				t.Fatal(err)
			}
			var n int
			if err := db.NewRaw("SELECT count(*) FROM sessions").Scan(ctx, &n); err != nil {
				t.Fatal(err)
			}
			if n != 1 {
				t.Fatalf("%d sessions left, want the live one only", n)
			}
			if _, err := s.SessionByToken(ctx, live, "localhost", long); err != nil {
				t.Fatalf("live session gone: %v", err)
			}
		})
	}
}

// Text no database column can hold (a NUL byte, invalid UTF-8) is refused
// with the 400 page wherever it comes in, never a 500.
func TestUnstorableTextIsRefused(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			if _, err := tenant.NewStore(db.DB).CreateAgency(context.Background(), "Acme Studio", "acme"); err != nil {
				t.Fatal(err)
			}
			env := servertest.New(t, db)
			b := env.Browser()
			form := "application/x-www-form-urlencoded"
			cases := []struct {
				name         string
				method, path string
				body         string
			}{
				{"NUL in a form field", http.MethodPost, "/login", "email=%00&password=x"},
				{"NUL in a form key", http.MethodPost, "/login", "email=a%40b.c&password=x&%00=1"},
				{"invalid UTF-8 in a form field", http.MethodPost, "/login", "email=%ff%fe&password=x"},
				{"NUL in the query", http.MethodGet, "/login?next=%2F%00", ""},
				{"NUL before a malformed part of the query", http.MethodGet, "/login?next=%00&x=%zz", ""},
				{"NUL before a malformed part of the form", http.MethodPost, "/login", "email=%00&password=%zz"},
				{"NUL in the path", http.MethodGet, "/tickets/%00", ""},
			}
			for _, c := range cases {
				r := b.Do(c.method, "acme.localhost", c.path, strings.NewReader(c.body), form)
				if r.Status != http.StatusBadRequest || !strings.Contains(r.Body, "Invalid request") {
					t.Errorf("%s: %d %.120q; want the 400 page", c.name, r.Status, r.Body)
				}
			}
			// The same sign-in without the NUL is answered normally.
			if r := b.Do(http.MethodPost, "acme.localhost", "/login", strings.NewReader("email=a%40b.c&password=x"), form); r.Status != http.StatusUnauthorized && r.Status != http.StatusOK {
				t.Errorf("ordinary failed sign-in = %d", r.Status)
			}
		})
	}
}
