package agency_test

import (
	"context"
	"encoding/base32"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"workrate/auth"
	"workrate/migrations/testdb"
	"workrate/server"
	"workrate/server/servertest"
)

var (
	secretRE   = regexp.MustCompile(`id="totp-secret">([A-Z2-7]+)<`)
	recoveryRE = regexp.MustCompile(`<li>([0-9a-z]{4}-[0-9a-z]{4})</li>`)
)

// staffEnrol confirms the enrolment shown on the staff two-factor page.
func staffEnrol(t *testing.T, b *servertest.Browser, host string) ([]byte, []string) {
	t.Helper()
	r := b.Get(host, "/staff/account/two-factor")
	m := secretRE.FindStringSubmatch(r.Body)
	if r.Status != 200 || m == nil || r.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("enrolment page: %d\n%.2000s", r.Status, r.Body)
	}
	secret, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(m[1])
	if err != nil {
		t.Fatal(err)
	}
	if r := b.Post(host, "/staff/account/two-factor/confirm", servertest.Values("code", "000000")); r.Status != 422 {
		t.Fatalf("wrong first code: %d", r.Status)
	}
	ok := b.Post(host, "/staff/account/two-factor/confirm", servertest.Values("code", auth.TOTPCode(secret, time.Now())))
	var codes []string
	for _, c := range recoveryRE.FindAllStringSubmatch(ok.Body, -1) {
		codes = append(codes, c[1])
	}
	if ok.Status != 200 || len(codes) != auth.RecoveryCodeCount {
		t.Fatalf("confirmation: %d, %d codes", ok.Status, len(codes))
	}
	return secret, codes
}

func TestStaffTwoFactor(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			w := newWorld(t, db)
			b := w.signIn("A-member", w.hostA)
			if r := b.Get(w.hostA, "/staff/account"); r.Status != 200 || !strings.Contains(r.Body, `href="/staff/account/two-factor"`) {
				t.Fatalf("account page: %d", r.Status)
			}
			if r := b.Get(w.hostA, "/staff/account/two-factor"); r.Status != 200 || secretRE.MatchString(r.Body) {
				t.Fatalf("two-factor page before start: %d", r.Status)
			}
			if r := b.Post(w.hostA, "/staff/account/two-factor/start", nil); r.Status != 303 {
				t.Fatalf("start: %d", r.Status)
			}
			secret, codes := staffEnrol(t, b, w.hostA)
			b.Post(w.hostA, "/staff/logout", nil)

			p := w.env.Browser()
			r := p.Post(w.hostA, "/staff/login", servertest.Values("email", w.staff["A-member"].Email, "password", pw))
			if r.Status != 303 || !strings.HasPrefix(r.Location(), "/staff/login/code") {
				t.Fatalf("password step: %d %q", r.Status, r.Location())
			}
			pending := p.Cookie(w.hostA, "session").Value
			for _, path := range []string{"/staff/workspaces", "/staff/account", "/staff/account/two-factor"} {
				if r := p.Get(w.hostA, path); r.Status != 303 || r.Location() != "/staff/login/code" {
					t.Errorf("GET %s while pending: %d %q", path, r.Status, r.Location())
				}
			}
			if r := p.Post(w.hostA, "/staff/login/code", servertest.Values("code", "000000", "next", "/staff/workspaces")); r.Status != 401 {
				t.Errorf("wrong code: %d", r.Status)
			}
			code := auth.TOTPCode(secret, time.Now().Add(30*time.Second))
			r = p.Post(w.hostA, "/staff/login/code", servertest.Values("code", code, "next", "/staff/workspaces"))
			if r.Status != 303 || r.Location() != "/staff/workspaces" {
				t.Fatalf("right code: %d %q", r.Status, r.Location())
			}
			if p.Cookie(w.hostA, "session").Value == pending {
				t.Error("session token unchanged after the second factor")
			}
			if r := p.Get(w.hostA, "/staff/workspaces"); r.Status != 200 {
				t.Errorf("workspaces after the code: %d", r.Status)
			}

			again := w.env.Browser()
			again.Post(w.hostA, "/staff/login", servertest.Values("email", w.staff["A-member"].Email, "password", pw))
			if r := again.Post(w.hostA, "/staff/login/code", servertest.Values("code", code)); r.Status != 401 {
				t.Errorf("replayed code: %d", r.Status)
			}
			if r := again.Post(w.hostA, "/staff/login/code", servertest.Values("code", codes[0])); r.Status != 200 || !strings.Contains(r.Body, "9 recovery codes left") {
				t.Errorf("recovery code: %d", r.Status)
			}
			// Throttled like passwords.
			th := w.env.Browser()
			th.Post(w.hostA, "/staff/login", servertest.Values("email", w.staff["A-member"].Email, "password", pw))
			for range auth.MaxPairFailures - 2 { // two wrong codes above already count
				th.Post(w.hostA, "/staff/login/code", servertest.Values("code", "000000"))
			}
			if r := th.Post(w.hostA, "/staff/login/code", servertest.Values("code", "000000")); r.Status != http.StatusTooManyRequests || r.Header.Get("Retry-After") == "" {
				t.Errorf("after %d wrong codes: %d", auth.MaxPairFailures, r.Status)
			}
		})
	}
}

func TestStaffTwoFactorRequired(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			w := newWorld(t, db)
			admin := w.signIn("A-admin", w.hostA)
			if r := admin.Post(w.hostA, "/staff/settings/two-factor", servertest.Values("require_staff_totp", "1")); r.Status != 404 {
				t.Errorf("admin sets the rule: %d", r.Status)
			}
			owner := w.signIn("A-owner", w.hostA)
			if r := owner.Post(w.hostA, "/staff/settings/two-factor", servertest.Values("require_staff_totp", "1")); r.Status != 303 {
				t.Fatalf("owner sets the rule: %d", r.Status)
			}
			w.env.Reload()
			for _, path := range []string{"/staff/workspaces", "/staff/settings", "/staff/account"} {
				if r := admin.Get(w.hostA, path); r.Status != 303 || r.Location() != "/staff/account/two-factor" {
					t.Errorf("GET %s without two-factor: %d %q", path, r.Status, r.Location())
				}
			}
			staffEnrol(t, admin, w.hostA) // begun at once: no start button needed
			if r := admin.Get(w.hostA, "/staff/workspaces"); r.Status != 200 {
				t.Errorf("workspaces after enrolment: %d", r.Status)
			}
			// Agency B is not concerned.
			if r := w.signIn("B-admin", w.hostB).Get(w.hostB, "/staff/workspaces"); r.Status != 200 {
				t.Errorf("other agency: %d", r.Status)
			}
		})
	}
}

func TestPortalAPITwoFactor(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			w := newWorld(t, db)
			wsID := w.newClientWorkspace(w.A, "Acme Bakery")
			key := w.apiKey(w.A)
			path := "/api/v1/workspaces/" + wsID + "/portal"
			r := w.env.Browser().JSON("PUT", w.hostA, path, key, `{"enabled":true,"login_email":"c@bakery.example","generate_password":true,"two_factor":"required"}`)
			if r.Status != 200 || !strings.Contains(r.Body, `"two_factor":"required"`) || !strings.Contains(r.Body, "two-factor") {
				t.Fatalf("PUT required: %d %s", r.Status, r.Body)
			}
			if r := w.env.Browser().JSON("PUT", w.hostA, path, key, `{"two_factor":"sometimes"}`); r.Status != 422 {
				t.Errorf("PUT bogus mode: %d %s", r.Status, r.Body)
			}
			if r := w.env.Browser().JSON("PUT", w.hostA, path, key, `{"two_factor":"optional"}`); r.Status != 200 {
				t.Errorf("PUT optional: %d %s", r.Status, r.Body)
			}
			r = w.env.Browser().JSON("GET", w.hostA, path, key, "")
			if r.Status != 200 || !strings.Contains(r.Body, `"two_factor":"optional"`) || !strings.Contains(r.Body, `"two_factor_enabled":false`) {
				t.Errorf("GET: %d %s", r.Status, r.Body)
			}
			// The Client Portal section shows the choice, and a wrong code in plain words.
			acct, err := w.auth.PortalAccountOf(context.Background(), w.A.ID, wsID)
			if err != nil {
				t.Fatal(err)
			}
			if err := w.auth.RecordAttempt(context.Background(), &auth.Attempt{AgencyID: w.A.ID, WorkspaceID: wsID, AccountID: acct.ID,
				Kind: auth.KindClient, Email: acct.LoginEmail, IP: "192.0.2.1", Host: w.hostA, Reason: auth.ReasonBadCode}); err != nil {
				t.Fatal(err)
			}
			b := w.signIn("A-admin", w.hostA)
			page := b.Get(w.hostA, "/staff/workspaces/"+wsID+"/portal")
			if !strings.Contains(page.Body, `<option value="optional" selected>`) {
				t.Errorf("portal section lacks the selected mode")
			}
			if !strings.Contains(page.Body, "Wrong two-factor code") || !strings.Contains(page.Body, "Two-factor sign-in: optional") {
				t.Errorf("portal section lacks the wrong code attempt or the mode change in the access log")
			}
			if r := b.Post(w.hostA, "/staff/workspaces/"+wsID+"/portal", servertest.Values("action", "save", "enabled", "1",
				"login_email", "c@bakery.example", "tools_sent", "1", "tools", "tickets", "two_factor", "off")); r.Status != 200 {
				t.Fatalf("save off: %d", r.Status)
			}
			acct, err = w.auth.PortalAccountOf(context.Background(), w.A.ID, wsID)
			if err != nil || acct.TOTPMode != auth.TOTPOff {
				t.Errorf("mode after save: %v %v", acct, err)
			}
		})
	}
}

// On PostgreSQL without WORKRATE_SECRET_KEY, the page says two-factor
// sign-in is unavailable and nothing can be enrolled.
func TestStaffTwoFactorUnavailableWithoutKey(t *testing.T) {
	db := testdb.Postgres(t)
	w := newWorld(t, db)
	w.env = servertest.New(t, db, func(c *server.Config) { c.SecretKey = "" })
	b := w.signIn("A-member", w.hostA)
	r := b.Get(w.hostA, "/staff/account/two-factor")
	if r.Status != 200 || !strings.Contains(r.Body, "WORKRATE_SECRET_KEY") || secretRE.MatchString(r.Body) {
		t.Errorf("two-factor page without a key: %d", r.Status)
	}
	if r := b.Post(w.hostA, "/staff/account/two-factor/start", nil); r.Status != 303 {
		t.Errorf("start without a key: %d", r.Status)
	}
	if on, err := w.auth.TOTPEnabled(context.Background(), auth.TOTPSubject{Kind: auth.KindStaff, AgencyID: w.A.ID, ID: w.staff["A-member"].ID}); err != nil || on {
		t.Errorf("enabled %v %v", on, err)
	}
}
