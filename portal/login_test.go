package portal_test

import (
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"workrate/access"
	"workrate/auth"
	"workrate/migrations/testdb"
	"workrate/server"
	"workrate/server/servertest"
)

const (
	acme  = "acme.localhost"
	bravo = "bravo.localhost"
)

func TestLoginPage(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			s := newSite(t, db)
			tests := []struct {
				host    string
				contact string
			}{
				{acme, "please contact Acme Agency"},
				{"localhost", "contact the agency that invited you"},
			}
			for _, tt := range tests {
				r := s.Browser().Get(tt.host, "/login")
				if r.Status != 200 {
					t.Fatalf("%s: %d", tt.host, r.Status)
				}
				for _, want := range []string{`action="/login"`, `name="email"`, `name="password"`, `type="password"`, tt.contact, `for="email"`, `for="password"`} {
					if !strings.Contains(r.Body, want) {
						t.Errorf("%s login page lacks %q", tt.host, want)
					}
				}
				if strings.Contains(strings.ToLower(r.Body), "reset") && strings.Contains(r.Body, "href=\"/reset") || strings.Contains(r.Body, "forgot-password") {
					t.Errorf("%s login page has a reset link", tt.host)
				}
			}
		})
	}
}

func TestLoginFirstPasswordChangeAndLogout(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			s := newSite(t, db)
			s.grant(t, s.A, s.A1, "client@example.com", "temporary-pass-31", "dashboard", "tickets")
			b := s.Browser()

			wrong := b.Post(acme, "/login", servertest.Values("email", "client@example.com", "password", "not-it-at-all"))
			unknown := b.Post(acme, "/login", servertest.Values("email", "nobody@example.com", "password", "not-it-at-all"))
			if wrong.Status != 401 || unknown.Status != 401 {
				t.Fatalf("failed logins: %d, %d", wrong.Status, unknown.Status)
			}
			if !strings.Contains(wrong.Body, "Invalid email or password.") || strings.Replace(text(wrong.Body), "client@example.com", "X", 1) != strings.Replace(text(unknown.Body), "nobody@example.com", "X", 1) {
				t.Error("a wrong password and an unknown email do not read the same")
			}

			r := b.Post(acme, "/login", servertest.Values("email", " Client@Example.com", "password", "temporary-pass-31"))
			if r.Status != 303 || r.Location() != "/password" {
				t.Fatalf("temporary login: %d %s", r.Status, r.Location())
			}
			first := b.Cookie(acme, "session")
			// Nothing else of the portal opens before the password is changed.
			for _, p := range []string{"/", "/tickets", "/invoices", "/anything"} {
				if r := b.Get(acme, p); p != "/anything" && (r.Status != 303 || r.Location() != "/password") {
					t.Errorf("GET %s before change: %d %s", p, r.Status, r.Location())
				}
			}
			r = b.Get(acme, "/password")
			for _, want := range []string{`name="new_password"`, `name="confirm_password"`, "At least 10 characters"} {
				if !strings.Contains(r.Body, want) {
					t.Errorf("password form lacks %q", want)
				}
			}
			if strings.Contains(r.Body, `name="current_password"`) || strings.Contains(r.Body, `data-tool=`) {
				t.Error("first password form asks the current password or shows the tools")
			}
			r = b.Post(acme, "/password", servertest.Values("new_password", "my-own-pass-88", "confirm_password", "my-own-pass-89"))
			if r.Status != 422 || !strings.Contains(r.Body, "do not match") {
				t.Errorf("mismatch: %d", r.Status)
			}
			r = b.Post(acme, "/password", servertest.Values("new_password", "my-own-pass-88", "confirm_password", "my-own-pass-88"))
			if r.Status != 303 || r.Location() != "/" {
				t.Fatalf("change: %d %s", r.Status, r.Location())
			}
			if c := b.Cookie(acme, "session"); c == nil || c.Value == first.Value {
				t.Error("no new session token after the password change")
			}
			if r := b.Get(acme, "/"); r.Status != 200 || !strings.Contains(r.Body, `data-tool="tickets"`) {
				t.Fatalf("portal after change: %d", r.Status)
			}
			// Later changes need the current password.
			r = b.Post(acme, "/password", servertest.Values("current_password", "wrong-one-here", "new_password", "next-own-pass-77", "confirm_password", "next-own-pass-77"))
			if r.Status != 422 {
				t.Errorf("later change with a wrong current password: %d", r.Status)
			}
			r = b.Post(acme, "/password", servertest.Values("current_password", "my-own-pass-88", "new_password", "next-own-pass-77", "confirm_password", "next-own-pass-77"))
			if r.Status != 200 || !strings.Contains(r.Body, "Your password has been changed.") {
				t.Errorf("later change: %d", r.Status)
			}

			if r := b.Post(acme, "/logout", nil); r.Status != 303 || r.Location() != "/login" {
				t.Fatalf("logout: %d %s", r.Status, r.Location())
			}
			if r := b.Get(acme, "/tickets"); r.Status != 303 || !strings.HasPrefix(r.Location(), "/login") {
				t.Errorf("after logout: %d %s", r.Status, r.Location())
			}
			// The permanent password works at the next login, straight to the portal.
			b2 := s.Browser()
			if r := b2.Post(acme, "/login", servertest.Values("email", "client@example.com", "password", "next-own-pass-77")); r.Status != 303 || r.Location() != "/" {
				t.Errorf("login with own password: %d %s", r.Status, r.Location())
			}
		})
	}
}

func TestAccessChangesApplyOnNextRequest(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			s := newSite(t, db)
			s.grant(t, s.A, s.A1, "client@example.com", "temporary-pass-31", "dashboard", "tickets")
			steps := []struct {
				name string
				in   access.Input
			}{
				{"revoke", access.Input{Enabled: false}},
				{"new temporary password", access.Input{Enabled: true, TemporaryPassword: "another-temp-pass-9"}},
				{"email change", access.Input{Enabled: true, LoginEmail: ptr("renamed@example.com")}},
			}
			for _, st := range steps {
				t.Run(st.name, func(t *testing.T) {
					s.save(t, s.A, s.A1, access.Input{Enabled: true, TemporaryPassword: "temporary-pass-31", LoginEmail: ptr("client@example.com"), Tools: ptr([]string{"dashboard", "tickets"})})
					b := s.signIn(t, acme, "client@example.com", "temporary-pass-31", "own-password-4242")
					if r := b.Get(acme, "/"); r.Status != 200 {
						t.Fatalf("signed in: %d", r.Status)
					}
					s.save(t, s.A, s.A1, st.in)
					if r := b.Get(acme, "/"); r.Status == 200 {
						t.Errorf("after %s the session still works", st.name)
					}
					if r := b.Get(acme, "/login"); r.Status != 200 {
						t.Errorf("login page after %s: %d", st.name, r.Status)
					}
				})
			}
		})
	}
}

func TestExpiredThrottledBusy(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			s := newSite(t, db)
			s.grant(t, s.A, s.A1, "client@example.com", "temporary-pass-31", "tickets")
			if _, err := db.NewUpdate().Table("portal_accounts").Set("password_expires_at = ?", time.Now().Add(-time.Minute)).Where("workspace_id = ?", s.A1).Exec(ctx); err != nil {
				t.Fatal(err)
			}
			r := s.Browser().Post(acme, "/login", servertest.Values("email", "client@example.com", "password", "temporary-pass-31"))
			if r.Status != 401 || !strings.Contains(r.Body, "Your temporary password has expired. Please ask Acme Agency for a new one.") {
				t.Errorf("expired: %d %s", r.Status, text(r.Body))
			}

			s.grant(t, s.A, s.A2, "other@example.com", "temporary-pass-32", "tickets")
			// Busy pool: 429 at once.
			var releases []func()
			for {
				rel, ok := s.App.Hashes().Hold()
				if !ok {
					break
				}
				releases = append(releases, rel)
			}
			r = s.Browser().Post(acme, "/login", servertest.Values("email", "other@example.com", "password", "temporary-pass-32"))
			for _, rel := range releases {
				rel()
			}
			if r.Status != http.StatusTooManyRequests || r.Header.Get("Retry-After") == "" {
				t.Errorf("busy pool: %d, Retry-After %q", r.Status, r.Header.Get("Retry-After"))
			}

			for range auth.MaxPairFailures {
				s.Browser().Post(acme, "/login", servertest.Values("email", "other@example.com", "password", "wrong-password-1"))
			}
			r = s.Browser().Post(acme, "/login", servertest.Values("email", "other@example.com", "password", "temporary-pass-32"))
			secs, _ := strconv.Atoi(r.Header.Get("Retry-After"))
			if r.Status != http.StatusTooManyRequests || secs <= 0 || !strings.Contains(r.Body, "Too many sign-in attempts") {
				t.Errorf("throttled: %d, Retry-After %q", r.Status, r.Header.Get("Retry-After"))
			}
			if r := s.Browser().Post(acme, "/login", servertest.Values("email", "x@example.com", "password", strings.Repeat("p", 1025))); r.Status != 400 {
				t.Errorf("long password: %d", r.Status)
			}
		})
	}
}

func TestSessionBelongsToHostAndAgency(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			s := newSite(t, db)
			s.grant(t, s.A, s.A1, "client@example.com", "temporary-pass-31", "dashboard", "tickets")
			s.grant(t, s.B, s.B1, "client@example.com", "bravo-temp-pass-7", "tickets")
			b := s.signIn(t, acme, "client@example.com", "temporary-pass-31", "own-password-4242")
			b.SetCookie(bravo, b.Cookie(acme, "session"))
			b.SetCookie("localhost", b.Cookie(acme, "session"))
			for _, host := range []string{bravo, "localhost"} {
				if r := b.Get(host, "/tickets"); r.Status != 303 || !strings.HasPrefix(r.Location(), "/login") {
					t.Errorf("acme session replayed on %s: %d %s", host, r.Status, r.Location())
				}
			}
			// On the platform host the account is found among agencies by its password.
			p := s.signIn(t, "localhost", "client@example.com", "bravo-temp-pass-7", "bravo-own-pass-55")
			r := p.Get("localhost", "/tickets")
			if r.Status != 200 || strings.Contains(r.Body, `data-tool="dashboard"`) {
				t.Fatalf("platform host portal: %d", r.Status)
			}
			if r := p.Get("localhost", "/"); r.Status != 303 || r.Location() != "/tickets" {
				t.Errorf("home without dashboard: %d %s", r.Status, r.Location())
			}
			// A sign-in on another agency's host or on a host the platform
			// does not serve writes nothing into Bravo's history: the agency
			// sees only what its own hosts received.
			s.Browser().Post(acme, "/login", servertest.Values("email", "bravo-only@example.com", "password", "x-x-x-x-x-x"))
			s.grant(t, s.B, s.B1, "bravo-only@example.com", "bravo-temp-pass-8", "tickets")
			s.Browser().Post(acme, "/login", servertest.Values("email", "bravo-only@example.com", "password", "bravo-temp-pass-8"))
			rows := func() int64 {
				n, err := db.NewSelect().Table("login_attempts").Count(ctx)
				if err != nil {
					t.Fatal(err)
				}
				return n
			}
			before := rows()
			for _, method := range []string{http.MethodPost, http.MethodGet, http.MethodPut} {
				r := s.Browser().Do(method, "unknown.example.org", "/login", strings.NewReader("email=bravo-only%40example.com&password=bravo-temp-pass-8"), "application/x-www-form-urlencoded")
				if r.Status != http.StatusNotFound {
					t.Errorf("%s /login on an unserved host = %d, want 404", method, r.Status)
				}
			}
			if after := rows(); after != before {
				t.Errorf("a sign-in on an unserved host wrote %d attempt rows, want none", after-before)
			}
			evs, err := s.App.Access().Events(ctx, s.B.ID, s.B1, 10)
			if err != nil {
				t.Fatal(err)
			}
			var hosts []string
			for _, e := range evs {
				if e.Type == access.EventLogin && e.Host != "localhost" { // the platform host is everyone's
					hosts = append(hosts, e.Host)
				}
			}
			if len(hosts) != 0 {
				t.Errorf("sign-in attempts in Bravo's history from other hosts: %v", hosts)
			}
		})
	}
}

func TestLanguageSavedOnAccount(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			s := newSite(t, db)
			s.grant(t, s.A, s.A1, "client@example.com", "temporary-pass-31", "tickets")
			b := s.signIn(t, acme, "client@example.com", "temporary-pass-31", "own-password-4242")
			if r := b.Post(acme, "/language", servertest.Values("lang", "de", "next", "/tickets")); r.Status != 303 {
				t.Fatalf("language: %d", r.Status)
			}
			// A new device, no language cookie: the saved choice applies after sign-in.
			b2 := s.Browser()
			b2.Header.Set("Accept-Language", "fr")
			if r := b2.Post(acme, "/login", servertest.Values("email", "client@example.com", "password", "own-password-4242")); r.Status != 303 {
				t.Fatalf("login: %d", r.Status)
			}
			if r := b2.Get(acme, "/tickets"); !strings.Contains(r.Body, `<html lang="de">`) {
				t.Errorf("saved language not applied: %s", r.Body[:200])
			}
		})
	}
}

var _ = server.Config{}

// A burst of concurrent wrong passwords for one account is hashed no more
// often than the throttle allows: each attempt waits for the one before it
// to be recorded, then finds the account locked and costs no hash.
func TestLoginBurstIsHashedOnlyUpToTheThrottle(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			s := newSite(t, db)
			s.grant(t, s.A, s.A1, "client@example.com", "temporary-pass-31", "tickets")
			const burst = 24
			statuses := make(chan int, burst)
			var wg sync.WaitGroup
			for range burst {
				wg.Go(func() {
					r := s.Browser().Post(acme, "/login", servertest.Values("email", "client@example.com", "password", "wrong-password-1"))
					statuses <- r.Status
				})
			}
			wg.Wait()
			close(statuses)
			count := map[int]int{}
			for st := range statuses {
				count[st]++
			}
			if count[http.StatusUnauthorized] != auth.MaxPairFailures || count[http.StatusTooManyRequests] != burst-auth.MaxPairFailures {
				t.Fatalf("answers %v: want %d wrong passwords (hashed) and the rest throttled", count, auth.MaxPairFailures)
			}
			var hashed int
			if err := db.NewRaw("SELECT COUNT(*) FROM login_attempts WHERE reason = ?", auth.ReasonWrongPassword).Scan(ctx, &hashed); err != nil {
				t.Fatal(err)
			}
			if hashed != auth.MaxPairFailures {
				t.Fatalf("%d attempts recorded as hashed wrong passwords, want %d", hashed, auth.MaxPairFailures)
			}
			// The throttled ones leave a trace, not a row each.
			var throttled int
			if err := db.NewRaw("SELECT COUNT(*) FROM login_attempts WHERE reason = ?", auth.ReasonThrottled).Scan(ctx, &throttled); err != nil {
				t.Fatal(err)
			}
			if throttled < 1 || throttled > 3 {
				t.Fatalf("%d throttled attempts recorded for a burst of %d within a second or two, want 1 to 3", throttled, burst-auth.MaxPairFailures)
			}
		})
	}
}
