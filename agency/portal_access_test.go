package agency_test

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"workrate/auth"
	"workrate/migrations/testdb"
	"workrate/server/servertest"
	"workrate/tenant"
	"workrate/workspace"
)

// newClientWorkspace creates a workspace of agency a and returns its id.
func (w *world) newClientWorkspace(a *tenant.Agency, name string) string {
	w.t.Helper()
	ws, err := workspace.NewStore(w.env.DB.DB).CreateWorkspace(context.Background(), a.ID,
		workspace.Actor{Kind: workspace.ActorSystem}, workspace.WorkspaceInput{Name: name})
	if err != nil {
		w.t.Fatal(err)
	}
	return ws.ID
}

// clientLogin signs a client in on host; it returns the browser and the answer.
func (w *world) clientLogin(host, email, password string) (*servertest.Browser, *servertest.Response) {
	b := w.env.Browser()
	return b, b.Post(host, "/login", servertest.Values("email", email, "password", password))
}

var onboardingRE = regexp.MustCompile(`(?s)<textarea id="onboarding"[^>]*>(.*?)</textarea>`)

// portalForm is the Client Portal form as a browser with scripts would send it.
func portalForm(enabled bool, email, password string, tools ...string) map[string][]string {
	v := servertest.Values("action", "save")
	if enabled {
		v.Set("enabled", "1")
		v.Set("login_email", email)
		v.Set("temporary_password", password)
		v.Set("tools_sent", "1")
		v["tools"] = tools
	}
	return v
}

func TestClientPortalSectionEveryStep(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			w := newWorld(t, db)
			wsID := w.newClientWorkspace(w.A, "Acme Bakery")
			sr := &sectionRun{w: w, wsID: wsID, section: "/staff/workspaces/" + wsID + "/portal", admin: w.signIn("A-admin", w.hostA)}
			sr.checkManagersOnly(t)
			temp := sr.generateAndSave(t)
			client := sr.clientFirstUse(t, temp)
			sr.checkToolsChange(t, client)
			client = sr.checkReset(t, client)
			client = sr.checkEmailChange(t, client)
			// Troubleshooting: a wrong password, the right email on another agency's host.
			w.clientLogin(w.hostA, "owner@bakery.example", "not-the-password")
			w.clientLogin(w.hostB, "owner@bakery.example", "bakery-own-pass-2")
			sr.checkRevoke(t, client)
			sr.checkReenableAndExpiry(t, db)
			sr.checkHistory(t, temp)
		})
	}
}

// sectionRun walks the Client Portal section of one workspace of agency A
// as its admin, and the portal as the client.
type sectionRun struct {
	w       *world
	wsID    string
	section string // the section's path
	admin   *servertest.Browser
}

// checkManagersOnly: members cannot change portal access (the section does
// not exist for them), another agency's workspace id is 404, and the admin
// sees the whole form.
func (sr *sectionRun) checkManagersOnly(t *testing.T) {
	t.Helper()
	w, section := sr.w, sr.section
	member := w.signIn("A-member", w.hostA)
	if r := member.Get(w.hostA, section); r.Status != http.StatusNotFound {
		t.Errorf("member GET: %d", r.Status)
	}
	if r := member.Post(w.hostA, section, portalForm(true, "c@bakery.example", "", "tickets")); r.Status != http.StatusNotFound {
		t.Errorf("member POST: %d", r.Status)
	}
	if r := w.signIn("B-owner", w.hostB).Get(w.hostB, section); r.Status != http.StatusNotFound {
		t.Errorf("other agency: %d", r.Status)
	}
	r := sr.admin.Get(w.hostA, section)
	for _, want := range []string{`name="enabled"`, `data-enables="portal-fields"`, `name="login_email"`, `name="temporary_password"`,
		`value="generate"`, `name="tools" value="dashboard"`, `name="tools" value="invoices"`, "Tasks (read-only)", "no portal login yet"} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("section lacks %q", want)
		}
	}
}

// generateAndSave: Generate fills the form and saves nothing; Save creates
// the account at once and shows the onboarding message once. It returns the
// temporary password.
func (sr *sectionRun) generateAndSave(t *testing.T) string {
	t.Helper()
	w, section, admin := sr.w, sr.section, sr.admin
	gen := servertest.Values("action", "generate", "enabled", "1", "login_email", "Client@Bakery.example", "tools_sent", "1", "tools", "tickets")
	r := admin.Post(w.hostA, section, gen)
	m := regexp.MustCompile(`name="temporary_password" value="([a-z2-9-]{23})"`).FindStringSubmatch(r.Body)
	if r.Status != 200 || m == nil {
		t.Fatalf("generate: %d, no password in the form", r.Status)
	}
	if _, err := w.env.App.Access().Account(context.Background(), w.A.ID, sr.wsID); err == nil {
		t.Fatal("generate saved the account")
	}
	r = admin.Post(w.hostA, section, portalForm(true, " Client@Bakery.example ", m[1], "dashboard", "tickets"))
	ob := onboardingRE.FindStringSubmatch(r.Body)
	if r.Status != 200 || ob == nil || !strings.Contains(ob[1], m[1]) || !strings.Contains(ob[1], "client@bakery.example") ||
		!strings.Contains(ob[1], "http://acme.localhost/login") || !strings.Contains(r.Body, `data-copy="onboarding"`) {
		t.Fatalf("save: %d, onboarding %q", r.Status, ob)
	}
	if r.Header.Get("Cache-Control") != "no-store" {
		t.Error("page with a clear password may be cached")
	}
	if r := admin.Get(w.hostA, section); strings.Contains(r.Body, m[1]) || strings.Contains(r.Body, `id="onboarding"`) {
		t.Error("the temporary password is shown again")
	}
	return m[1]
}

// clientFirstUse: the client signs in with the temporary password, chooses
// a password and uses the portal.
func (sr *sectionRun) clientFirstUse(t *testing.T, temp string) *servertest.Browser {
	t.Helper()
	w := sr.w
	client, lr := w.clientLogin(w.hostA, "client@bakery.example", temp)
	if lr.Status != http.StatusSeeOther || lr.Location() != "/password" {
		t.Fatalf("client login: %d %s", lr.Status, lr.Location())
	}
	client.Post(w.hostA, "/password", servertest.Values("new_password", "bakery-own-pass-1", "confirm_password", "bakery-own-pass-1"))
	if r := client.Get(w.hostA, "/tickets"); r.Status != 200 {
		t.Fatalf("client tickets: %d", r.Status)
	}
	return client
}

// checkToolsChange: a change of tools applies to the very next request, and
// the session is kept.
func (sr *sectionRun) checkToolsChange(t *testing.T, client *servertest.Browser) {
	t.Helper()
	w := sr.w
	sr.admin.Post(w.hostA, sr.section, portalForm(true, "client@bakery.example", "", "dashboard", "invoices"))
	if r := client.Get(w.hostA, "/tickets"); r.Status != http.StatusNotFound {
		t.Errorf("tickets after removal: %d", r.Status)
	}
	if r := client.Get(w.hostA, "/invoices"); r.Status != 200 {
		t.Errorf("invoices after enabling: %d", r.Status)
	}
}

// checkReset: a new temporary password ends the session and forces a
// change. It returns the client signed in with it.
func (sr *sectionRun) checkReset(t *testing.T, client *servertest.Browser) *servertest.Browser {
	t.Helper()
	w := sr.w
	r := sr.admin.Post(w.hostA, sr.section, portalForm(true, "client@bakery.example", "second-temp-pass-7", "dashboard", "invoices"))
	if !strings.Contains(r.Body, "second-temp-pass-7") {
		t.Error("no onboarding message after a reset")
	}
	if r := client.Get(w.hostA, "/invoices"); r.Status != http.StatusSeeOther {
		t.Errorf("session after reset: %d", r.Status)
	}
	if _, r := w.clientLogin(w.hostA, "client@bakery.example", "bakery-own-pass-1"); r.Status != http.StatusUnauthorized {
		t.Errorf("old password after reset: %d", r.Status)
	}
	client, lr := w.clientLogin(w.hostA, "client@bakery.example", "second-temp-pass-7")
	if lr.Location() != "/password" {
		t.Errorf("reset does not force a change: %s", lr.Location())
	}
	return client
}

// checkEmailChange: the old email stops at once. It returns the client
// signed in with the new email and its own password.
func (sr *sectionRun) checkEmailChange(t *testing.T, client *servertest.Browser) *servertest.Browser {
	t.Helper()
	w := sr.w
	sr.admin.Post(w.hostA, sr.section, portalForm(true, "owner@bakery.example", "", "dashboard", "invoices"))
	if r := client.Get(w.hostA, "/password"); r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location(), "/login") {
		t.Errorf("session after email change: %d %s", r.Status, r.Location())
	}
	if _, r := w.clientLogin(w.hostA, "client@bakery.example", "second-temp-pass-7"); r.Status != http.StatusUnauthorized {
		t.Errorf("old email: %d", r.Status)
	}
	client, lr := w.clientLogin(w.hostA, "owner@bakery.example", "second-temp-pass-7")
	if lr.Status != http.StatusSeeOther {
		t.Fatalf("new email: %d", lr.Status)
	}
	client.Post(w.hostA, "/password", servertest.Values("new_password", "bakery-own-pass-2", "confirm_password", "bakery-own-pass-2"))
	return client
}

// checkRevoke: the disabled fieldset sends only the checkbox state; the
// client is out at once and the account keeps its email and tools.
func (sr *sectionRun) checkRevoke(t *testing.T, client *servertest.Browser) {
	t.Helper()
	w := sr.w
	r := sr.admin.Post(w.hostA, sr.section, servertest.Values("action", "save"))
	if r.Status != 200 {
		t.Fatalf("revoke: %d", r.Status)
	}
	if r := client.Get(w.hostA, "/"); r.Status == 200 {
		t.Error("revoked client still signed in")
	}
	if _, r := w.clientLogin(w.hostA, "owner@bakery.example", "bakery-own-pass-2"); r.Status != http.StatusUnauthorized {
		t.Errorf("revoked login: %d", r.Status)
	}
	acct, err := w.env.App.Access().Account(context.Background(), w.A.ID, sr.wsID)
	if err != nil || acct.Enabled || acct.LoginEmail != "owner@bakery.example" || acct.Tools != "dashboard,invoices" {
		t.Fatalf("revoked account: %+v %v", acct, err)
	}
}

// checkReenableAndExpiry: re-enabling needs a new temporary password; once
// it expired, the client is told to ask the agency by name.
func (sr *sectionRun) checkReenableAndExpiry(t *testing.T, db testdb.DB) {
	t.Helper()
	w := sr.w
	r := sr.admin.Post(w.hostA, sr.section, portalForm(true, "owner@bakery.example", "", "dashboard", "invoices"))
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "Generate or enter a temporary password") {
		t.Errorf("re-enable without password: %d", r.Status)
	}
	sr.admin.Post(w.hostA, sr.section, portalForm(true, "owner@bakery.example", "third-temp-pass-9", "dashboard", "invoices"))
	if _, err := db.NewUpdate().Table("portal_accounts").Set("password_expires_at = ?", time.Now().Add(-time.Hour)).Where("workspace_id = ?", sr.wsID).Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, r := w.clientLogin(w.hostA, "owner@bakery.example", "third-temp-pass-9"); !strings.Contains(r.Body, "Please ask Acme Studio for a new one.") {
		t.Errorf("expired: %d", r.Status)
	}
}

// checkHistory wants the section to list every attempt and change, without
// any password; another agency never sees them.
func (sr *sectionRun) checkHistory(t *testing.T, temp string) {
	t.Helper()
	w := sr.w
	r := sr.admin.Get(w.hostA, sr.section)
	for _, want := range []string{"Signed in", "Wrong password", "Access disabled",
		"Temporary password expired", "Expired", "Client login disabled", "Login email changed: client@bakery.example → owner@bakery.example",
		"Tools changed: dashboard, tickets → dashboard, invoices", "The client chose their own password", "A-admin (team)", "Must choose a new password"} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("section lacks %q", want)
		}
	}
	for _, secret := range []string{temp, "second-temp-pass-7", "third-temp-pass-9", "bakery-own-pass"} {
		if strings.Contains(r.Body, secret) {
			t.Errorf("section shows a password %s", secret)
		}
	}
	wsB := w.newClientWorkspace(w.B, "Bolt client")
	if r := w.signIn("B-owner", w.hostB).Get(w.hostB, "/staff/workspaces/"+wsB+"/portal"); strings.Contains(r.Body, "bakery") {
		t.Error("B sees A's attempts")
	}
}

func TestPreviewAsClient(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			w := newWorld(t, db)
			wsID := w.newClientWorkspace(w.A, "Acme Bakery")
			section := "/staff/workspaces/" + wsID + "/portal"
			admin := w.signIn("A-owner", w.hostA)
			if r := admin.Post(w.hostA, section+"/preview", nil); r.Status != http.StatusNotFound {
				t.Errorf("preview without an account: %d", r.Status)
			}
			admin.Post(w.hostA, section, portalForm(true, "c@bakery.example", "bakery-temp-pass-1", "dashboard", "tickets", "messages"))
			r := admin.Post(w.hostA, section+"/preview", nil)
			if r.Status != http.StatusSeeOther || r.Location() != "/" {
				t.Fatalf("start preview: %d %s", r.Status, r.Location())
			}
			home := admin.Get(w.hostA, "/")
			if home.Status != 200 || !strings.Contains(home.Body, "exactly what your client sees") || !strings.Contains(home.Body, `data-tool="messages"`) ||
				strings.Contains(home.Body, `data-tool="invoices"`) || strings.Contains(home.Body, `action="/logout"`) {
				t.Fatalf("preview: %d", home.Status)
			}
			if r := admin.Get(w.hostA, "/invoices"); r.Status != http.StatusNotFound {
				t.Errorf("preview of a disabled tool: %d", r.Status)
			}
			for _, p := range []string{"/tickets", "/messages"} {
				if r := admin.Post(w.hostA, p, servertest.Values("subject", "x", "body", "y")); r.Status != http.StatusMethodNotAllowed {
					t.Errorf("preview POST %s: %d", p, r.Status)
				}
			}
			// Staff pages keep working during a preview.
			if r := admin.Get(w.hostA, section); r.Status != 200 {
				t.Errorf("section during preview: %d", r.Status)
			}
			r = admin.Post(w.hostA, "/staff/preview/end", nil)
			if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location(), section) {
				t.Fatalf("end preview: %d %s", r.Status, r.Location())
			}
			if r := admin.Get(w.hostA, "/"); strings.Contains(r.Body, "preview-banner") {
				t.Error("preview still on after leaving it")
			}
		})
	}
}

func TestSaveWithBusyPoolAnswers429(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			w := newWorld(t, db)
			wsID := w.newClientWorkspace(w.A, "Acme Bakery")
			admin := w.signIn("A-owner", w.hostA)
			key := w.apiKey(w.A)
			var rel []func()
			for {
				f, ok := w.env.App.Hashes().Hold()
				if !ok {
					break
				}
				rel = append(rel, f)
			}
			r := admin.Post(w.hostA, "/staff/workspaces/"+wsID+"/portal", portalForm(true, "c@bakery.example", "bakery-temp-pass-1", "tickets"))
			api := w.env.Browser().JSON(http.MethodPut, w.hostA, "/api/v1/workspaces/"+wsID+"/portal", key, `{"enabled":true,"login_email":"c@bakery.example","generate_password":true}`)
			for _, f := range rel {
				f()
			}
			if r.Status != http.StatusTooManyRequests || r.Header.Get("Retry-After") == "" {
				t.Errorf("page: %d", r.Status)
			}
			if api.Status != http.StatusTooManyRequests || api.Header.Get("Retry-After") == "" {
				t.Errorf("api: %d", api.Status)
			}
			if _, err := w.env.App.Access().Account(context.Background(), w.A.ID, wsID); err == nil {
				t.Error("an account was saved with a busy pool")
			}
		})
	}
}

var _ = auth.KindClient
