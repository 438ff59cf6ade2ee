package portal_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"workrate/access"
	"workrate/migrations/testdb"
	"workrate/server/servertest"
	"workrate/store"
	"workrate/tenant"
)

// fuzzSite is an app with one agency (acme.localhost), one workspace with a
// portal login, and a browser signed in as its client.
func fuzzSite(f *testing.F) (*servertest.Env, *servertest.Browser) {
	f.Helper()
	db := testdb.SQLite(f)
	ag, err := tenant.NewStore(db.DB).CreateAgency(context.Background(), "Acme Agency", "acme")
	if err != nil {
		f.Fatal(err)
	}
	env := servertest.New(f, db)
	ws := fuzzWorkspace(f, db, ag.ID)
	email, tools := "client@example.com", []string{"tickets", "messages", "tasks", "invoices"}
	if _, err := env.App.Access().Save(context.Background(), *ag, ws, staffActor, access.Input{Enabled: true, LoginEmail: &email,
		TemporaryPassword: "fuzz-password-2026", Tools: &tools, Permanent: true}); err != nil {
		f.Fatal(err)
	}
	env.Reload()
	b := env.Browser()
	if r := b.Post("acme.localhost", "/login", servertest.Values("email", email, "password", "fuzz-password-2026")); r.Status != http.StatusSeeOther {
		f.Fatalf("sign-in = %d", r.Status)
	}
	return env, b
}

// fuzzWorkspace inserts a workspace for the fuzz targets (testing.F).
func fuzzWorkspace(f *testing.F, db testdb.DB, agencyID string) string {
	f.Helper()
	id, now := store.NewID(), store.Now()
	if _, err := db.NewRaw("INSERT INTO workspaces (id, agency_id, name, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
		id, agencyID, "Bakery", now, now).Exec(context.Background()); err != nil {
		f.Fatal(err)
	}
	return id
}

// FuzzLoginForm: any sign-in form — odd emails, huge or binary passwords,
// strange next targets, repeated fields — answers without a 5xx and never
// redirects off the host.
func FuzzLoginForm(f *testing.F) {
	f.Add("client@example.com", "fuzz-password-2026", "/tickets")
	f.Add("", "", "")
	f.Add("CLIENT@EXAMPLE.COM ", strings.Repeat("x", 1100), "//evil.example")
	f.Add("a@b", "\x00\xff", "/\\evil")
	f.Add(strings.Repeat("a", 300)+"@example.com", "pw", "https://evil.example/")
	f.Add("\"><script>@x.y", "' OR 1=1 --", "/%0d%0aSet-Cookie:x=1")
	env, _ := fuzzSite(f)
	f.Fuzz(func(t *testing.T, email, password, next string) {
		b := env.For(t).Browser()
		body := "email=" + urlEscape(email) + "&password=" + urlEscape(password) + "&next=" + urlEscape(next)
		r := b.Do(http.MethodPost, "acme.localhost", "/login", strings.NewReader(body), "application/x-www-form-urlencoded")
		if r.Status >= 500 {
			t.Fatalf("login(%q, %q, %q) = %d", email, password, next, r.Status)
		}
		if loc := r.Location(); loc != "" && (!strings.HasPrefix(loc, "/") || strings.HasPrefix(loc, "//") || strings.HasPrefix(loc, "/\\")) {
			t.Fatalf("login redirects off the host: %q", loc)
		}
		// Wipe attempts so that throttling does not hide the handler.
		_, _ = env.DB.NewDelete().Table("login_attempts").Where("1 = 1").Exec(context.Background())
		env.App.Hashes().ForgetLocks()
	})
}

// FuzzPasswordForm: any password change form answers without a 5xx.
func FuzzPasswordForm(f *testing.F) {
	f.Add("wrong-current-pass", "new-password-2026!", "new-password-2026!") // a right one would end the session
	f.Add("", "", "")
	f.Add("wrong", strings.Repeat("y", 1100), strings.Repeat("y", 1100))
	f.Add("\x00", "short", "other")
	f.Add("fuzz-password-2026", "password123456", "password123456")
	env, b := fuzzSite(f)
	cookie := b.Cookie("acme.localhost", "session")
	f.Fuzz(func(t *testing.T, current, next, confirm string) {
		b := env.For(t).Browser()
		b.SetCookie("acme.localhost", cookie)
		body := "current_password=" + urlEscape(current) + "&new_password=" + urlEscape(next) + "&confirm_password=" + urlEscape(confirm)
		r := b.Do(http.MethodPost, "acme.localhost", "/password", strings.NewReader(body), "application/x-www-form-urlencoded")
		if r.Status >= 500 {
			t.Fatalf("password(%q, %q, %q) = %d", current, next, confirm, r.Status)
		}
		_, _ = env.DB.NewDelete().Table("login_attempts").Where("1 = 1").Exec(context.Background())
		env.App.Hashes().ForgetLocks()
	})
}

// FuzzMessageRendering: whatever a client writes in a message or a ticket,
// the pages that show it carry no script but the app's own.
func FuzzMessageRendering(f *testing.F) {
	for _, s := range []string{"hello", "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "</textarea><script>x</script>",
		"<scr<script>ipt>", "line\r\nbreak", "javascript:alert(1)", "{{.}}"} {
		f.Add(s)
	}
	env, signedIn := fuzzSite(f)
	cookie := signedIn.Cookie("acme.localhost", "session")
	f.Fuzz(func(t *testing.T, text string) {
		b := env.For(t).Browser()
		b.SetCookie("acme.localhost", cookie)
		for _, post := range []struct{ path, field, page string }{{"/messages", "body", "/messages"}, {"/tickets", "subject", ""}} {
			r := b.Post("acme.localhost", post.path, servertest.Values(post.field, text, "body", text))
			if r.Status >= 500 {
				t.Fatalf("POST %s %q = %d", post.path, text, r.Status)
			}
			page := post.page
			if page == "" {
				page = r.Location()
				if page == "" || !strings.HasPrefix(page, "/tickets/") {
					continue // refused (empty, too long): nothing stored
				}
			}
			res := b.Get("acme.localhost", page)
			rest := strings.ReplaceAll(strings.ToLower(res.Body), `<script src="/static/`, "")
			if strings.Contains(rest, "<script") {
				t.Fatalf("%s shows a script for %q", page, text)
			}
		}
	})
}

func urlEscape(s string) string { return url.QueryEscape(s) }
