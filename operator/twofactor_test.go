package operator_test

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

// With WORKRATE_OPERATOR_2FA=required an operator enrols before anything of
// the console opens, then signs in with a code like staff: a pending session
// reaches only the code page, a wrong code is refused and recorded, a right
// one starts a new session.
func TestOperatorTwoFactorRequired(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			newOperator(t, db, "ops@workrate.example")
			env := servertest.New(t, db, func(c *server.Config) { c.OperatorTwoFactor = "required" })
			b := env.Browser()
			r := b.Post("localhost", "/operator/login", servertest.Values("email", "ops@workrate.example", "password", opPassword))
			if r.Status != http.StatusSeeOther {
				t.Fatalf("password: %d", r.Status)
			}
			if r := b.Get("localhost", "/operator/agencies"); r.Status != http.StatusSeeOther || r.Location() != "/operator/two-factor" {
				t.Fatalf("console before enrolling: %d %q, want the enrolment", r.Status, r.Location())
			}
			page := b.Get("localhost", "/operator/two-factor")
			m := secretRE.FindStringSubmatch(page.Body)
			if page.Status != http.StatusOK || m == nil || strings.Contains(page.Body, `href="/operator/agencies"`) {
				t.Fatalf("enrolment page: %d (navigation shown or no secret)", page.Status)
			}
			secret, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(m[1])
			if err != nil {
				t.Fatal(err)
			}
			confirmed := b.Post("localhost", "/operator/two-factor/confirm", servertest.Values("code", auth.TOTPCode(secret, time.Now())))
			codes := recoveryRE.FindAllStringSubmatch(confirmed.Body, -1)
			if confirmed.Status != http.StatusOK || len(codes) != auth.RecoveryCodeCount {
				t.Fatalf("confirm: %d, %d recovery codes", confirmed.Status, len(codes))
			}
			if r := b.Get("localhost", "/operator/agencies"); r.Status != http.StatusOK {
				t.Fatalf("console after enrolling: %d", r.Status)
			}
			if r := b.Post("localhost", "/operator/two-factor/disable", servertest.Values("code", auth.TOTPCode(secret, time.Now()))); r.Status != http.StatusForbidden {
				t.Errorf("turning a required second factor off: %d, want 403", r.Status)
			}

			p := env.Browser()
			r = p.Post("localhost", "/operator/login", servertest.Values("email", "ops@workrate.example", "password", opPassword, "next", "/operator/domains"))
			if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location(), "/operator/login/code") {
				t.Fatalf("password step: %d %q, want the code page", r.Status, r.Location())
			}
			if r := p.Get("localhost", "/operator/agencies"); r.Status != http.StatusSeeOther || r.Location() != "/operator/login/code" {
				t.Errorf("console while the code is owed: %d %q", r.Status, r.Location())
			}
			if r := p.Post("localhost", "/operator/login/code", servertest.Values("code", "000000")); r.Status != http.StatusUnauthorized {
				t.Errorf("wrong code: %d", r.Status)
			}
			n, err := db.NewSelect().Table("login_attempts").Where("kind = ? AND reason = ?", auth.KindOperator, auth.ReasonBadCode).Count(context.Background())
			if err != nil || n != 1 {
				t.Errorf("wrong codes recorded: %d, %v; want 1", n, err)
			}
			pending := p.Cookie("localhost", "session").Value
			code := auth.TOTPCode(secret, time.Now().Add(30*time.Second))
			r = p.Post("localhost", "/operator/login/code", servertest.Values("code", code, "next", "/operator/domains"))
			if r.Status != http.StatusSeeOther || r.Location() != "/operator/domains" {
				t.Fatalf("right code: %d %q", r.Status, r.Location())
			}
			if p.Cookie("localhost", "session").Value == pending {
				t.Error("session token unchanged after the second factor")
			}
			if r := p.Get("localhost", "/operator/domains"); r.Status != http.StatusOK {
				t.Errorf("console after the code: %d", r.Status)
			}

			// A recovery code signs in once, and says how many are left.
			rc := env.Browser()
			rc.Post("localhost", "/operator/login", servertest.Values("email", "ops@workrate.example", "password", opPassword))
			if r := rc.Post("localhost", "/operator/login/code", servertest.Values("code", codes[0][1])); r.Status != http.StatusOK || !strings.Contains(r.Body, "9 recovery codes left") {
				t.Errorf("recovery code: %d", r.Status)
			}
		})
	}
}
