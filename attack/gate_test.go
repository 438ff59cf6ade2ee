package attack_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"workrate/migrations/testdb"
	"workrate/server/servertest"
)

// Every POST route of the app, posted a wrong password, current password and
// code by nobody, a client, a staff member and an operator on every host:
// any hash that checks a secret belongs to an attempt the gate recorded. A
// route that verified a secret itself (the client's password change did,
// without throttle or record, before the gate) fails here; so does a new
// sign-in path added beside the gate.
func TestEverySecretGoesThroughTheGate(t *testing.T) {
	db := testdb.SQLite(t)
	w := newWorld(t, db)
	hp := w.App.Hashes()
	param := regexp.MustCompile(`:[a-z_]+|\*[a-z_]+`)
	sessions := map[string]func() *servertest.Browser{
		"nobody":   w.Browser,
		"client":   func() *servertest.Browser { return w.client(t, "A1") },
		"staff":    func() *servertest.Browser { return w.staffB(t) },
		"operator": func() *servertest.Browser { return w.operator(t) },
	}
	attempts := func() int64 {
		n, err := w.DB.NewSelect().Table("login_attempts").Count(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	checkedRoutes := map[string]bool{}
	for _, rt := range w.App.Routes() {
		if rt.Method != http.MethodPost || strings.Contains(rt.Path, "logout") {
			continue
		}
		path := param.ReplaceAllString(rt.Path, "x")
		for who, open := range sessions {
			b := open()
			for _, host := range []string{hostA, hostB, platformHost} {
				if _, err := w.DB.NewDelete().Table("login_attempts").Where("success = ?", false).Exec(ctx); err != nil {
					t.Fatal(err)
				}
				hp.ForgetLocks()
				before, recorded := hp.Checked(), attempts()
				email := map[string]string{"client": w.ClientEmail["A1"], "staff": w.F.StaffB.Email, "operator": operatorEmail}[who]
				b.Post(host, path, servertest.Values("email", email, "password", "wrong-password-1",
					"current_password", "wrong-password-1", "new_password", "brand-new-password-77",
					"confirm_password", "brand-new-password-77", "code", "000000"))
				if hashed := hp.Checked() - before; hashed > 0 {
					checkedRoutes[rt.Path] = true
					if attempts() == recorded {
						t.Errorf("POST %s on %s as %s checked a secret (%d hashes) and recorded no attempt: it bypasses the gate", path, host, who, hashed)
					}
				}
			}
		}
	}
	// The test must see the secret routes, or it proves nothing.
	for _, want := range []string{"/login", "/staff/login", "/operator/login", "/password", "/staff/account/password"} {
		if !checkedRoutes[want] {
			t.Errorf("POST %s checked no secret: the test no longer reaches it (routes with checks: %v)", want, checkedRoutes)
		}
	}
}
