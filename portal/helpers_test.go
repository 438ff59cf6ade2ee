package portal_test

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"workrate/access"
	"workrate/auth"
	"workrate/migrations/testdb"
	"workrate/server/servertest"
	"workrate/store"
	"workrate/tenant"
)

var ctx = context.Background()

var staffActor = access.Actor{Kind: access.ActorStaff, ID: "s1", Name: "Nora Winters"}

// site is a running app with agencies Acme (host acme.localhost, workspaces
// A1 and A2) and Bravo (bravo.localhost, B1).
type site struct {
	*servertest.Env
	A, B   *tenant.Agency
	A1, A2 string
	B1     string
}

func newSite(t *testing.T, db testdb.DB) *site {
	t.Helper()
	ts := tenant.NewStore(db.DB)
	a, err := ts.CreateAgency(ctx, "Acme Agency", "acme")
	if err != nil {
		t.Fatal(err)
	}
	b, err := ts.CreateAgency(ctx, "Bravo Studio", "bravo")
	if err != nil {
		t.Fatal(err)
	}
	s := &site{Env: servertest.New(t, db), A: a, B: b}
	s.A1 = insertWorkspace(t, db, a.ID, "Bakery")
	s.A2 = insertWorkspace(t, db, a.ID, "Florist")
	s.B1 = insertWorkspace(t, db, b.ID, "Garage")
	s.Reload()
	return s
}

func insertWorkspace(t *testing.T, db testdb.DB, agencyID, name string) string {
	t.Helper()
	id, now := store.NewID(), store.Now()
	_, err := db.NewRaw("INSERT INTO workspaces (id, agency_id, name, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
		id, agencyID, name, now, now).Exec(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func ptr[T any](v T) *T { return &v }

// grant gives a workspace a portal login with a typed temporary password.
func (s *site) grant(t *testing.T, agency *tenant.Agency, ws, email, password string, tools ...string) *auth.PortalAccount {
	t.Helper()
	res, err := s.App.Access().Save(ctx, *agency, ws, staffActor, access.Input{Enabled: true, LoginEmail: ptr(email),
		TemporaryPassword: password, Tools: ptr(tools)})
	if err != nil {
		t.Fatal(err)
	}
	return res.Account
}

func (s *site) save(t *testing.T, agency *tenant.Agency, ws string, in access.Input) *access.Result {
	t.Helper()
	res, err := s.App.Access().Save(ctx, *agency, ws, staffActor, in)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// signIn logs a new browser in on host and, when the password is temporary,
// replaces it with newPassword.
func (s *site) signIn(t *testing.T, host, email, password, newPassword string) *servertest.Browser {
	t.Helper()
	b := s.Browser()
	r := b.Post(host, "/login", servertest.Values("email", email, "password", password))
	if r.Status != 303 {
		t.Fatalf("login %s on %s: %d\n%s", email, host, r.Status, r.Body)
	}
	if r.Location() == "/password" {
		r = b.Post(host, "/password", servertest.Values("new_password", newPassword, "confirm_password", newPassword))
		if r.Status != 303 || r.Location() != "/" {
			t.Fatalf("first password change: %d %s\n%s", r.Status, r.Location(), r.Body)
		}
	}
	return b
}

var tagRE = regexp.MustCompile(`<[^>]*>`)

// text is a page's visible text, for checks on wording.
func text(body string) string {
	return strings.Join(strings.Fields(tagRE.ReplaceAllString(body, " ")), " ")
}
