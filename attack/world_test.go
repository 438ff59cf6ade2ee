package attack_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"workrate/access"
	"workrate/auth"
	"workrate/fixture"
	"workrate/migrations/testdb"
	"workrate/server"
	"workrate/server/servertest"
	"workrate/tenant"
	"workrate/workspace"
)

var ctx = context.Background()

// Passwords of the world's accounts.
const (
	clientPassword   = "correct-horse-battery-42"
	staffPassword    = "staff-pass-of-agency-b-2026"
	operatorPassword = "operator-pass-2026-xyz"
	operatorEmail    = "ops@workrate.example"
)

// Hosts of the world.
const (
	hostA        = "agency-a.localhost"
	hostB        = "agency-b.localhost"
	platformHost = "localhost"
)

// world is the fixture (agencies A and B, workspaces A1, A2, B1, B2) running
// in the whole app, with portal logins for A1, A2 and B1, a password for
// B's staff member, an API key of B, an operator, and A's private rows of
// the settings (a rate, a domain, an API key).
type world struct {
	*servertest.Env
	F        *fixture.Fixture
	Accounts *auth.Store
	Tenants  *tenant.Store

	ClientEmail map[string]string // by workspace key
	StaffPass   string            // B's staff member's password (tests may change it)
	TokenB      string            // API key of agency B
	TokenA      string            // API key of agency A
	RateA       *tenant.Rate
	DomainA     *tenant.Domain
	KeyA        *auth.APIKey
}

func newWorld(t *testing.T, db testdb.DB, opts ...func(*server.Config)) *world {
	t.Helper()
	f := fixture.New(t, db.DB)
	w := &world{Env: servertest.New(t, db, opts...), F: f, Accounts: auth.NewStore(db.DB), Tenants: tenant.NewStore(db.DB),
		ClientEmail: map[string]string{}, StaffPass: staffPassword}
	staffHash, err := auth.HashPassword(staffPassword, auth.DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Accounts.SetStaffPassword(ctx, f.B.ID, f.StaffB.ID, staffHash); err != nil {
		t.Fatal(err)
	}
	opHash, err := auth.HashPassword(operatorPassword, auth.DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Accounts.CreateOperator(ctx, operatorEmail, opHash); err != nil {
		t.Fatal(err)
	}
	all := []string{string(workspace.ToolDashboard), string(workspace.ToolTickets), string(workspace.ToolMessages),
		string(workspace.ToolTasks), string(workspace.ToolInvoices)}
	for _, ws := range []*fixture.Workspace{f.A1, f.A2, f.B1} {
		email := "client-" + strings.ToLower(ws.Key) + "@example.com"
		_, err := w.App.Access().Save(ctx, *ws.Agency, ws.ID, access.Actor{Kind: access.ActorStaff, ID: ws.Staff.ID, Name: ws.Staff.Name},
			access.Input{Enabled: true, LoginEmail: &email, TemporaryPassword: clientPassword, Tools: &all, Permanent: true})
		if err != nil {
			t.Fatal(err)
		}
		w.ClientEmail[ws.Key] = email
	}
	if w.TokenB, _, err = w.Accounts.CreateAPIKey(ctx, f.B.ID, "B key", f.StaffB.ID); err != nil {
		t.Fatal(err)
	}
	if w.TokenA, w.KeyA, err = w.Accounts.CreateAPIKey(ctx, f.A.ID, "MARK-A-key", f.StaffA.ID); err != nil {
		t.Fatal(err)
	}
	if w.RateA, err = w.Tenants.AddRate(ctx, f.A.ID, tenant.RateInput{Service: "MARK-A-rate", HourlyRateCents: 100, Currency: "EUR"}); err != nil {
		t.Fatal(err)
	}
	if w.DomainA, err = w.Tenants.AddDomain(ctx, f.A.ID, "portal.mark-a.example"); err != nil {
		t.Fatal(err)
	}
	w.Reload()
	return w
}

// client signs a new browser in to the portal as the client of workspace key.
func (w *world) client(t *testing.T, key string) *servertest.Browser {
	t.Helper()
	host := hostA
	if strings.HasPrefix(key, "B") {
		host = hostB
	}
	b := w.Browser()
	r := b.Post(host, "/login", servertest.Values("email", w.ClientEmail[key], "password", clientPassword))
	if r.Status != http.StatusSeeOther || b.Cookie(host, "session") == nil {
		t.Fatalf("client %s sign-in = %d %s: %.300s", key, r.Status, r.Location(), r.Body)
	}
	return b
}

// staffB signs a new browser in to agency B's back office.
func (w *world) staffB(t *testing.T) *servertest.Browser {
	t.Helper()
	b := w.Browser()
	r := b.Post(hostB, "/staff/login", servertest.Values("email", w.F.StaffB.Email, "password", w.StaffPass))
	if r.Status != http.StatusSeeOther || b.Cookie(hostB, "session") == nil {
		t.Fatalf("staff B sign-in = %d: %.300s", r.Status, r.Body)
	}
	return b
}

// operator signs a new browser in to the console on the platform host.
func (w *world) operator(t *testing.T) *servertest.Browser {
	t.Helper()
	b := w.Browser()
	r := b.Post(platformHost, "/operator/login", servertest.Values("email", operatorEmail, "password", operatorPassword))
	if r.Status != http.StatusSeeOther || b.Cookie(platformHost, "session") == nil {
		t.Fatalf("operator sign-in = %d: %.300s", r.Status, r.Body)
	}
	return b
}

// allMarkers lists every marker of every workspace.
func (w *world) allMarkers() []string {
	var out []string
	for _, ws := range w.F.All() {
		out = append(out, ws.Visible...)
		out = append(out, ws.Hidden...)
	}
	return out
}

// agencyMarkers lists every marker of one agency's workspaces and its name.
func (w *world) agencyMarkers(a *tenant.Agency) []string {
	out := []string{"MARK-A-agency"}
	if a.ID == w.F.B.ID {
		out = []string{"MARK-B-agency"}
	}
	for _, ws := range w.F.All() {
		if ws.Agency.ID == a.ID {
			out = append(out, ws.Visible...)
			out = append(out, ws.Hidden...)
		}
	}
	if a.ID == w.F.A.ID {
		out = append(out, "MARK-A-rate", "MARK-A-key", "mark-a.example")
	}
	return out
}

// leaks fails t when the answer shows any of forbidden.
func leaks(t *testing.T, what string, r *servertest.Response, forbidden []string) {
	t.Helper()
	if l := fixture.Leaks(r.Body+"\n"+r.Location(), forbidden); len(l) > 0 {
		t.Errorf("%s = %d leaks %v: %.300s", what, r.Status, slices.Compact(l), r.Body)
	}
}

// bunIdent quotes a column name.
func bunIdent(s string) bun.Ident { return bun.Ident(s) }
