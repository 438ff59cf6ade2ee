package operator_test

import (
	"context"
	"net/http"
	"testing"

	"workrate/auth"
	"workrate/migrations/testdb"
	"workrate/server/servertest"
	"workrate/store"
	"workrate/tenant"
)

// fastHash hashes test passwords cheaply (the parameters travel in the hash).
func fastHash(t *testing.T, password string) string {
	t.Helper()
	h, err := auth.HashPassword(password, auth.Params{Memory: 64, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// member is one agency with a staff member and a client of one workspace.
type member struct {
	agency       *tenant.Agency
	host         string
	staff, email string // staff and client sign-in emails
}

func newMember(t *testing.T, db testdb.DB, name, slug string) member {
	t.Helper()
	ctx := context.Background()
	a, err := tenant.NewStore(db.DB).CreateAgency(ctx, name, slug)
	if err != nil {
		t.Fatal(err)
	}
	m := member{agency: a, host: slug + ".localhost", staff: "owner@" + slug + ".example", email: "client@" + slug + ".example"}
	as := auth.NewStore(db.DB)
	if _, err := as.CreateStaff(ctx, a.ID, m.staff, "Owner", auth.RoleOwner, fastHash(t, "staff-password-2026")); err != nil {
		t.Fatal(err)
	}
	ws, now := store.NewID(), store.Now()
	if _, err := db.NewRaw("INSERT INTO workspaces (id, agency_id, name, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
		ws, a.ID, "Bakery", now, now).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	if err := as.CreatePortalAccount(ctx, &auth.PortalAccount{AgencyID: a.ID, WorkspaceID: ws, LoginEmail: m.email,
		PasswordHash: fastHash(t, "client-password-2026"), Enabled: true, Tools: "dashboard,tickets"}); err != nil {
		t.Fatal(err)
	}
	return m
}

// signedIn is a browser with a session and the page that session opens.
type signedIn struct {
	what, host, path string
	b                *servertest.Browser
}

// signInAll signs m's staff member in on its host, and its client on its host
// and on the platform host; each browser then opens a page.
func signInAll(t *testing.T, env *servertest.Env, m member) []signedIn {
	t.Helper()
	var out []signedIn
	staff := env.Browser()
	if r := staff.Post(m.host, "/staff/login", servertest.Values("email", m.staff, "password", "staff-password-2026")); r.Status != http.StatusSeeOther {
		t.Fatalf("staff sign-in on %s = %d", m.host, r.Status)
	}
	out = append(out, signedIn{"staff of " + m.agency.Slug, m.host, "/staff/workspaces", staff})
	for _, host := range []string{m.host, "localhost"} {
		client := env.Browser()
		if r := client.Post(host, "/login", servertest.Values("email", m.email, "password", "client-password-2026")); r.Status != http.StatusSeeOther {
			t.Fatalf("client sign-in on %s = %d", host, r.Status)
		}
		out = append(out, signedIn{"client of " + m.agency.Slug + " on " + host, host, "/tickets", client})
	}
	for _, s := range out {
		if r := s.b.Get(s.host, s.path); r.Status != http.StatusOK {
			t.Fatalf("%s: GET %s%s = %d before suspending", s.what, s.host, s.path, r.Status)
		}
	}
	return out
}

// Suspending an agency ends its staff's and clients' sessions at once;
// reactivating it does not bring them back, and other agencies keep theirs.
func TestSuspendingAnAgencyEndsItsSessions(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			acme := newMember(t, db, "Acme Studio", "acme")
			bravo := newMember(t, db, "Bravo Studio", "bravo")
			newOperator(t, db, "ops@workrate.example")
			env := servertest.New(t, db)
			ops := env.Browser()
			signIn(t, ops)

			ended := signInAll(t, env, acme)
			kept := signInAll(t, env, bravo)

			if r := ops.Post("localhost", "/operator/agencies/"+acme.agency.ID+"/suspend", nil); r.Status != http.StatusSeeOther {
				t.Fatalf("suspend = %d", r.Status)
			}
			var left int
			if err := db.NewRaw("SELECT count(*) FROM sessions WHERE agency_id = ?", acme.agency.ID).Scan(context.Background(), &left); err != nil {
				t.Fatal(err)
			}
			if left != 0 {
				t.Errorf("%d sessions of the suspended agency remain", left)
			}
			if r := ops.Post("localhost", "/operator/agencies/"+acme.agency.ID+"/reactivate", nil); r.Status != http.StatusSeeOther {
				t.Fatalf("reactivate = %d", r.Status)
			}
			for _, s := range ended {
				if r := s.b.Get(s.host, s.path); r.Status == http.StatusOK {
					t.Errorf("%s: GET %s%s = 200 after suspend and reactivate; the old cookie still opens it", s.what, s.host, s.path)
				}
			}
			for _, s := range kept {
				if r := s.b.Get(s.host, s.path); r.Status != http.StatusOK {
					t.Errorf("%s: GET %s%s = %d; another agency's suspension ended it", s.what, s.host, s.path, r.Status)
				}
			}
			if r := ops.Get("localhost", "/operator/agencies"); r.Status != http.StatusOK {
				t.Errorf("the operator's own session ended: %d", r.Status)
			}
		})
	}
}
