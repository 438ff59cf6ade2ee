package portal_test

import (
	"encoding/base32"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"workrate/access"
	"workrate/auth"
	"workrate/branding"
	"workrate/migrations/testdb"
	"workrate/server/servertest"
)

var (
	secretRE   = regexp.MustCompile(`id="totp-secret">([A-Z2-7]+)<`)
	recoveryRE = regexp.MustCompile(`<li>([0-9a-z]{4}-[0-9a-z]{4})</li>`)
)

// shownSecret reads the authenticator secret from an enrolment page.
func shownSecret(t *testing.T, body string) []byte {
	t.Helper()
	m := secretRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no secret on the page:\n%s", body)
	}
	secret, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(m[1])
	if err != nil {
		t.Fatal(err)
	}
	return secret
}

// enrol confirms the enrolment shown on /two-factor and returns the secret
// and the recovery codes.
func enrol(t *testing.T, b *servertest.Browser, host string) ([]byte, []string) {
	t.Helper()
	r := b.Get(host, "/two-factor")
	if r.Status != 200 || r.Header.Get("Cache-Control") != "no-store" || !strings.Contains(r.Body, `src="data:image/png;base64,`) {
		t.Fatalf("enrolment page: %d %q\n%s", r.Status, r.Header.Get("Cache-Control"), r.Body)
	}
	secret := shownSecret(t, r.Body)
	wrong := b.Post(host, "/two-factor/confirm", servertest.Values("code", "000000"))
	if wrong.Status != 422 || string(shownSecret(t, wrong.Body)) != string(secret) {
		t.Fatalf("wrong first code: %d, or the secret changed", wrong.Status)
	}
	ok := b.Post(host, "/two-factor/confirm", servertest.Values("code", auth.TOTPCode(secret, time.Now())))
	codes := recoveryRE.FindAllStringSubmatch(ok.Body, -1)
	if ok.Status != 200 || len(codes) != auth.RecoveryCodeCount {
		t.Fatalf("confirmation: %d, %d recovery codes\n%s", ok.Status, len(codes), ok.Body)
	}
	var out []string
	for _, c := range codes {
		out = append(out, c[1])
	}
	return secret, out
}

// password signs a new browser in up to the code page.
func (s *site) password(t *testing.T, host, email, password string) *servertest.Browser {
	t.Helper()
	b := s.Browser()
	r := b.Post(host, "/login", servertest.Values("email", email, "password", password))
	if r.Status != 303 || r.Location() != "/login/code" {
		t.Fatalf("password step: %d %q", r.Status, r.Location())
	}
	return b
}

func TestTwoFactorRequiredClient(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			rc := &requiredClient{s: newSite(t, db), db: db}
			b := rc.firstSignIn(t)
			rc.beforeEnrolment(t, b)
			rc.enrolment(t, b)
			rc.codeStep(t)
			rc.replayAndRecovery(t)
			rc.failuresListed(t)
		})
	}
}

// requiredClient holds the world of TestTwoFactorRequiredClient: a client
// of workspace A1 required to sign in with two factors, its authenticator
// secret and recovery codes once enrolled, and the code it signed in with.
// Its steps run in order.
type requiredClient struct {
	s      *site
	db     testdb.DB
	secret []byte   // the authenticator secret, once enrolled
	codes  []string // the recovery codes, once enrolled
	code   string   // the authenticator code the client signed in with
}

// firstSignIn saves the portal access with two-factor sign-in required,
// whose onboarding says so, and signs the client in for the first time.
func (rc *requiredClient) firstSignIn(t *testing.T) *servertest.Browser {
	s := rc.s
	res := s.save(t, s.A, s.A1, access.Input{Enabled: true, LoginEmail: ptr("client@example.com"),
		TemporaryPassword: "temporary-pass-31", Tools: ptr([]string{"dashboard", "tickets"}), TwoFactor: ptr(auth.TOTPRequired)})
	if !strings.Contains(res.Onboarding, "two-factor sign-in") {
		t.Errorf("onboarding does not mention two-factor sign-in:\n%s", res.Onboarding)
	}
	return s.signIn(t, acme, "client@example.com", "temporary-pass-31", "my-own-password-42")
}

// beforeEnrolment: the enrolment names the product without a white label,
// and nothing opens before the enrolment.
func (rc *requiredClient) beforeEnrolment(t *testing.T, b *servertest.Browser) {
	if r := b.Get(acme, "/two-factor"); !strings.Contains(r.Body, "“WorkRate” (client@example.com)") {
		t.Errorf("issuer without white label:\n%s", text(r.Body))
	}
	// Nothing opens before the enrolment.
	for _, path := range []string{"/", "/tickets", "/password"} {
		if r := b.Get(acme, path); r.Status != 303 || r.Location() != "/two-factor" {
			t.Errorf("GET %s before enrolment: %d %q", path, r.Status, r.Location())
		}
	}
}

// enrolment: after the enrolment the portal opens, two-factor sign-in cannot
// be turned off while required; then the client signs out.
func (rc *requiredClient) enrolment(t *testing.T, b *servertest.Browser) {
	rc.secret, rc.codes = enrol(t, b, acme)
	if r := b.Get(acme, "/tickets"); r.Status != 200 {
		t.Fatalf("tickets after enrolment: %d", r.Status)
	}
	if r := b.Post(acme, "/two-factor/disable", servertest.Values("code", rc.codes[0])); r.Status != 403 {
		t.Errorf("disable while required: %d", r.Status)
	}
	b.Post(acme, "/logout", nil)
}

// codeStep: at sign-in the pending session opens only the code page; a
// wrong code is refused, the right one opens the portal with a new session
// token, and the pending token is dead.
func (rc *requiredClient) codeStep(t *testing.T) {
	s := rc.s
	// Sign-in: the pending session opens only the code page.
	p := s.password(t, acme, "client@example.com", "my-own-password-42")
	pending := p.Cookie(acme, "session").Value
	for _, path := range []string{"/", "/tickets", "/password", "/two-factor"} {
		if r := p.Get(acme, path); r.Status != 303 || r.Location() != "/login/code" {
			t.Errorf("GET %s with a pending session: %d %q", path, r.Status, r.Location())
		}
	}
	if r := p.Get(acme, "/login/code"); r.Status != 200 || !strings.Contains(r.Body, `name="code"`) {
		t.Fatalf("code page: %d", r.Status)
	}
	if r := p.Post(acme, "/login/code", servertest.Values("code", "123456")); r.Status != 401 || !strings.Contains(r.Body, "already used") {
		t.Fatalf("wrong code: %d", r.Status)
	}
	rc.code = auth.TOTPCode(rc.secret, time.Now().Add(auth.TOTPPeriod*time.Second))
	r := p.Post(acme, "/login/code", servertest.Values("code", rc.code))
	if r.Status != 303 || r.Location() != "/" {
		t.Fatalf("right code: %d %q\n%s", r.Status, r.Location(), r.Body)
	}
	if c := p.Cookie(acme, "session"); c == nil || c.Value == pending {
		t.Error("the session token did not change after the second factor")
	}
	if r := p.Get(acme, "/tickets"); r.Status != 200 {
		t.Errorf("tickets after the code: %d", r.Status)
	}
	old := s.Browser()
	old.SetCookie(acme, &http.Cookie{Name: "session", Value: pending})
	if r := old.Get(acme, "/login/code"); r.Status != 303 || !strings.HasPrefix(r.Location(), "/login?") {
		t.Errorf("the pending session still works: %d %q", r.Status, r.Location())
	}
}

// replayAndRecovery: the code used is refused again; a recovery code works
// once and says how many remain.
func (rc *requiredClient) replayAndRecovery(t *testing.T) {
	s := rc.s
	// Replay: the same code is refused.
	replay := s.password(t, acme, "client@example.com", "my-own-password-42")
	if r := replay.Post(acme, "/login/code", servertest.Values("code", rc.code)); r.Status != 401 {
		t.Errorf("replayed code: %d", r.Status)
	}
	// A recovery code works once and says how many remain.
	if r := replay.Post(acme, "/login/code", servertest.Values("code", strings.ToUpper(rc.codes[1]))); r.Status != 200 ||
		!strings.Contains(r.Body, "9 recovery codes left") {
		t.Fatalf("recovery code: %d\n%s", r.Status, r.Body)
	}
	again := s.password(t, acme, "client@example.com", "my-own-password-42")
	if r := again.Post(acme, "/login/code", servertest.Values("code", rc.codes[1])); r.Status != 401 {
		t.Errorf("used recovery code again: %d", r.Status)
	}
}

// failuresListed: the three refused codes are in the troubleshooting list,
// in plain words.
func (rc *requiredClient) failuresListed(t *testing.T) {
	// Failures are in the troubleshooting list, in plain words.
	atts, err := auth.NewStore(rc.db.DB).AttemptsOf(ctx, rc.s.A.ID, rc.s.A1, 50)
	if err != nil {
		t.Fatal(err)
	}
	bad := 0
	for _, a := range atts {
		if a.Reason == auth.ReasonBadCode {
			bad++
		}
	}
	if bad != 3 {
		t.Errorf("bad_code attempts = %d, want 3", bad)
	}
}

// enrolledAtCode enrols a client of workspace ws in optional two-factor
// sign-in, signs out, and signs in again with the password: the returned
// browser stands at the code page.
func enrolledAtCode(t *testing.T, s *site, ws, email string) (secret []byte, b *servertest.Browser) {
	t.Helper()
	s.save(t, s.A, ws, access.Input{Enabled: true, LoginEmail: ptr(email),
		TemporaryPassword: "temporary-pass-31", Tools: ptr([]string{"dashboard"}), TwoFactor: ptr(auth.TOTPOptional)})
	first := s.signIn(t, acme, email, "temporary-pass-31", "my-own-password-42")
	if r := first.Get(acme, "/"); r.Status != 200 {
		t.Fatalf("optional: home before enrolment: %d", r.Status)
	}
	if r := first.Post(acme, "/two-factor/start", nil); r.Status != 303 {
		t.Fatalf("start: %d", r.Status)
	}
	secret, _ = enrol(t, first, acme)
	first.Post(acme, "/logout", nil)
	return secret, s.password(t, acme, email, "my-own-password-42")
}

func TestTwoFactorThrottled(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			s := newSite(t, db)
			secret, p := enrolledAtCode(t, s, s.A1, "client@example.com")
			for i := range auth.MaxPairFailures {
				if r := p.Post(acme, "/login/code", servertest.Values("code", "000000")); r.Status != 401 {
					t.Fatalf("wrong code %d: %d", i, r.Status)
				}
			}
			r := p.Post(acme, "/login/code", servertest.Values("code", auth.TOTPCode(secret, time.Now().Add(30*time.Second))))
			if r.Status != 429 || r.Header.Get("Retry-After") == "" {
				t.Fatalf("after %d wrong codes: %d %q", auth.MaxPairFailures, r.Status, r.Header.Get("Retry-After"))
			}
		})
	}
}

// A burst of concurrent wrong codes gets no more guesses than the throttle
// allows: each waits for the one before it to be recorded.
func TestTwoFactorCodeBurstIsThrottled(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			s := newSite(t, db)
			_, p := enrolledAtCode(t, s, s.A1, "client@example.com")
			cookie := p.Cookie(acme, "session")
			const burst = 20
			statuses := make(chan int, burst)
			var wg sync.WaitGroup
			for i := range burst {
				wg.Go(func() {
					b := s.Browser()
					b.SetCookie(acme, cookie)
					statuses <- b.Post(acme, "/login/code", servertest.Values("code", fmt.Sprintf("%06d", i))).Status
				})
			}
			wg.Wait()
			close(statuses)
			count := map[int]int{}
			for st := range statuses {
				count[st]++
			}
			if count[http.StatusUnauthorized] > auth.MaxPairFailures || count[http.StatusUnauthorized]+count[http.StatusTooManyRequests] != burst {
				t.Fatalf("answers %v: want at most %d wrong codes checked and the rest throttled", count, auth.MaxPairFailures)
			}
		})
	}
}

func TestTwoFactorOptionalDisableAndOff(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			s := newSite(t, db)
			s.grant(t, s.A, s.A1, "client@example.com", "temporary-pass-31", "dashboard")
			b := s.signIn(t, acme, "client@example.com", "temporary-pass-31", "my-own-password-42")
			if r := b.Get(acme, "/two-factor"); r.Status != 404 {
				t.Errorf("two-factor page with mode off: %d", r.Status)
			}
			if r := b.Get(acme, "/password"); strings.Contains(r.Body, `href="/two-factor"`) {
				t.Error("password page links to two-factor sign-in while off")
			}
			s.save(t, s.A, s.A1, access.Input{Enabled: true, TwoFactor: ptr(auth.TOTPOptional)})
			if r := b.Get(acme, "/password"); !strings.Contains(r.Body, `href="/two-factor"`) {
				t.Error("password page does not link to two-factor sign-in while optional")
			}
			// White label: the authenticator lists the entry under the agency's platform name.
			if _, err := branding.NewStore(db.DB).SetText(ctx, s.A.ID, "Acme Client Hub", "#0f766e"); err != nil {
				t.Fatal(err)
			}
			s.Reload()
			b.Post(acme, "/two-factor/start", nil)
			if r := b.Get(acme, "/two-factor"); !strings.Contains(r.Body, "“Acme Client Hub” (client@example.com)") {
				t.Errorf("issuer on a white-labelled host:\n%s", text(r.Body))
			}
			secret, _ := enrol(t, b, acme)
			if r := b.Post(acme, "/two-factor/disable", servertest.Values("code", "000000")); r.Status != 422 {
				t.Errorf("disable with a wrong code: %d", r.Status)
			}
			code := auth.TOTPCode(secret, time.Now().Add(30*time.Second))
			if r := b.Post(acme, "/two-factor/disable", servertest.Values("code", code)); r.Status != 303 {
				t.Fatalf("disable: %d", r.Status)
			}
			b.Post(acme, "/logout", nil)
			if r := s.Browser().Post(acme, "/login", servertest.Values("email", "client@example.com", "password", "my-own-password-42")); r.Status != 303 || r.Location() != "/" {
				t.Errorf("sign-in after disabling: %d %q", r.Status, r.Location())
			}
		})
	}
}

func TestTwoFactorResetByAgency(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			s := newSite(t, db)
			s.save(t, s.A, s.A1, access.Input{Enabled: true, LoginEmail: ptr("client@example.com"),
				TemporaryPassword: "temporary-pass-31", Tools: ptr([]string{"dashboard"}), TwoFactor: ptr(auth.TOTPRequired)})
			b := s.signIn(t, acme, "client@example.com", "temporary-pass-31", "my-own-password-42")
			first, _ := enrol(t, b, acme)

			res := s.save(t, s.A, s.A1, access.Input{Enabled: true, TemporaryPassword: "another-temp-pass-77"})
			if !contains(res.Changes, access.ActionTwoFactorReset) || res.Account.TOTPEnabled {
				t.Fatalf("reset: changes %v, enabled %v", res.Changes, res.Account.TOTPEnabled)
			}
			st := auth.NewStore(db.DB)
			subj := auth.TOTPSubject{Kind: auth.KindClient, AgencyID: s.A.ID, ID: res.Account.ID}
			if on, err := st.TOTPEnabled(ctx, subj); err != nil || on {
				t.Fatalf("enabled after reset: %v %v", on, err)
			}
			if n, err := st.RemainingRecoveryCodes(ctx, subj); err != nil || n != 0 {
				t.Fatalf("recovery codes after reset: %d %v", n, err)
			}
			// The old session ended; the client enrols again with a new secret.
			if r := b.Get(acme, "/tickets"); r.Status != 303 || !strings.HasPrefix(r.Location(), "/login") {
				t.Errorf("old session after reset: %d", r.Status)
			}
			c := s.signIn(t, acme, "client@example.com", "another-temp-pass-77", "my-newest-password-42")
			if r := c.Get(acme, "/"); r.Status != 303 || r.Location() != "/two-factor" {
				t.Fatalf("after reset: %d %q", r.Status, r.Location())
			}
			second, _ := enrol(t, c, acme)
			if string(second) == string(first) {
				t.Error("the secret did not change")
			}
			evs, err := s.App.Access().Events(ctx, s.A.ID, s.A1, 50)
			if err != nil {
				t.Fatal(err)
			}
			var actions []string
			for _, e := range evs {
				actions = append(actions, e.Action)
			}
			for _, want := range []string{access.ActionTwoFactorReset, access.ActionTwoFactorOn, access.ActionTwoFactorMode} {
				if !contains(actions, want) {
					t.Errorf("access log lacks %q: %v", want, actions)
				}
			}
		})
	}
}

func TestTwoFactorPendingExpires(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			s := newSite(t, db)
			s.save(t, s.A, s.A1, access.Input{Enabled: true, LoginEmail: ptr("client@example.com"),
				TemporaryPassword: "temporary-pass-31", Tools: ptr([]string{"dashboard"}), TwoFactor: ptr(auth.TOTPRequired)})
			b := s.signIn(t, acme, "client@example.com", "temporary-pass-31", "my-own-password-42")
			enrol(t, b, acme)
			p := s.password(t, acme, "client@example.com", "my-own-password-42")
			old := time.Now().Add(-auth.PendingSecondFactorTTL - time.Minute).UTC()
			if _, err := db.NewRaw("UPDATE sessions SET created_at = ? WHERE second_factor_pending = ?", old, true).Exec(ctx); err != nil {
				t.Fatal(err)
			}
			if r := p.Get(acme, "/login/code"); r.Status != 303 || !strings.HasPrefix(r.Location(), "/login") || r.Location() == "/login/code" {
				t.Errorf("expired pending session: %d %q", r.Status, r.Location())
			}
		})
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
