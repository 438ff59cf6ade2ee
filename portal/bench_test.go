package portal_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"workrate/auth"
	"workrate/server"
	"workrate/server/servertest"
	"workrate/store"
	"workrate/tenant"
)

// benchApp opens the database of WORKRATE_BENCH_DATABASE_URL, filled by
// `workrate seed --big`, serves the app on it and signs in the big
// workspace's client. Without the variable the benchmark is skipped.
func benchApp(b *testing.B) (*server.App, *bun.DB, *http.Cookie) {
	b.Helper()
	dbURL := os.Getenv("WORKRATE_BENCH_DATABASE_URL")
	if dbURL == "" {
		b.Skip("WORKRATE_BENCH_DATABASE_URL not set (a database filled by `workrate seed --big`)")
	}
	slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil)))
	db, err := store.Open(dbURL)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	app, err := server.New(ctx, servertest.Config(dbURL), db)
	if err != nil {
		b.Fatal(err)
	}
	// A session made directly: a locked-out account must not stop a benchmark.
	ag, err := tenant.NewStore(db).AgencyBySlug(ctx, "bigseed")
	if err != nil {
		b.Fatal(err)
	}
	st := auth.NewStore(db)
	acct, err := st.PortalAccountByEmail(ctx, ag.ID, "client@bigseed.example")
	if err != nil {
		b.Fatal(err)
	}
	tok, err := st.CreateSession(ctx, &auth.Session{Kind: auth.KindClient, AgencyID: ag.ID, SubjectID: acct.ID, Host: "bigseed.localhost",
		SessionVersion: acct.SessionVersion}, auth.SessionPolicy{Idle: time.Hour, Max: 24 * time.Hour})
	if err != nil {
		b.Fatal(err)
	}
	return app, db, &http.Cookie{Name: auth.CookieName(false), Value: tok}
}

// benchPage loads path as the seeded client, end to end through the Gin engine.
func benchPage(b *testing.B, path func(*bun.DB) string) {
	app, db, cookie := benchApp(b)
	h := app.Handler()
	p := path(db)
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodGet, "http://workrate.test"+p, nil)
		req.Host = "bigseed.localhost"
		req.AddCookie(cookie)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("%s: %d", p, rec.Code)
		}
	}
}

func BenchmarkDashboard(b *testing.B) { benchPage(b, func(*bun.DB) string { return "/" }) }

func BenchmarkTicketList(b *testing.B) { benchPage(b, func(*bun.DB) string { return "/tickets" }) }

func BenchmarkTicketPage(b *testing.B) {
	benchPage(b, func(db *bun.DB) string {
		var id string
		if err := db.NewRaw("SELECT t.id FROM tickets t JOIN agencies a ON a.id = t.agency_id WHERE a.slug = 'bigseed' ORDER BY t.number LIMIT 1").Scan(ctx, &id); err != nil {
			b.Fatal(err)
		}
		return "/tickets/" + id
	})
}

// BenchmarkSessionLookup is the per-request session and account re-check.
func BenchmarkSessionLookup(b *testing.B) {
	_, db, cookie := benchApp(b)
	st := auth.NewStore(db)
	policy := auth.SessionPolicy{Idle: time.Hour, Max: 24 * time.Hour}
	b.ReportAllocs()
	for b.Loop() {
		cs, err := st.ClientSessionByToken(ctx, cookie.Value, "bigseed.localhost", policy)
		if err != nil || cs.Account == nil {
			b.Fatal(err)
		}
	}
}
