package access_test

import (
	"context"
	"testing"
	"time"

	"workrate/access"
	"workrate/auth"
	"workrate/locale"
	"workrate/migrations/testdb"
	"workrate/store"
	"workrate/tenant"
)

var ctx = context.Background()

// cheap hashing keeps the suite fast; the pool's behaviour is the same.
var cheap = auth.Params{Memory: 64, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16}

// env is an access service on a test database with two agencies, A (with
// workspaces A1, A2) and B (with B1).
type env struct {
	db       testdb.DB
	svc      *access.Service
	auth     *auth.Store
	pool     *auth.HashPool
	resolver *tenant.Resolver
	A, B     *tenant.Agency
	A1, A2   string
	B1       string
}

var staff = access.Actor{Kind: access.ActorStaff, ID: "staff-1", Name: "Nora Winters"}

func newEnv(t *testing.T, db testdb.DB, ttl time.Duration) *env {
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
	resolver := tenant.NewResolver(db.DB, tenant.Config{PlatformHost: "localhost", AgencyDomain: "localhost", PlatformName: "WorkRate"})
	if err := resolver.Load(ctx); err != nil {
		t.Fatal(err)
	}
	bundle, err := locale.New()
	if err != nil {
		t.Fatal(err)
	}
	pool := auth.NewHashPool(2, cheap)
	e := &env{db: db, pool: pool, resolver: resolver, A: a, B: b, auth: auth.NewStore(db.DB),
		svc: access.New(db.DB, pool, resolver, bundle, access.Config{TempPasswordTTL: ttl, HTTPAddr: ":8080"})}
	e.A1 = e.workspace(t, a.ID, "Bakery")
	e.A2 = e.workspace(t, a.ID, "Florist")
	e.B1 = e.workspace(t, b.ID, "Garage")
	return e
}

// workspace inserts a workspace row directly (the workspace package owns them).
func (e *env) workspace(t *testing.T, agencyID, name string) string {
	t.Helper()
	id := store.NewID()
	now := store.Now()
	_, err := e.db.NewRaw("INSERT INTO workspaces (id, agency_id, name, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
		id, agencyID, name, now, now).Exec(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func ptr[T any](v T) *T { return &v }

// create gives a workspace an enabled portal account with a generated password.
func (e *env) create(t *testing.T, agency *tenant.Agency, ws, email string, tools ...string) *access.Result {
	t.Helper()
	res, err := e.svc.Save(ctx, *agency, ws, staff, access.Input{Enabled: true, LoginEmail: ptr(email), GeneratePassword: true, Tools: ptr(tools)})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func (e *env) login(agency *tenant.Agency, email, password string) (*auth.PortalAccount, error) {
	host := "localhost"
	if agency != nil {
		host = agency.Slug + ".localhost"
	}
	return e.svc.Login(ctx, access.LoginRequest{Email: email, Password: password, IP: "192.0.2.1", Host: host, Agency: agency})
}

// session starts a client session for a (as the portal does at sign-in).
func (e *env) session(t *testing.T, a *auth.PortalAccount) string {
	t.Helper()
	tok, err := e.auth.CreateSession(ctx, &auth.Session{Kind: auth.KindClient, AgencyID: a.AgencyID, SubjectID: a.ID,
		Host: "acme.localhost", SessionVersion: a.SessionVersion}, auth.SessionPolicy{Idle: time.Hour, Max: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func (e *env) sessionAlive(t *testing.T, tok string) bool {
	t.Helper()
	_, err := e.auth.SessionByToken(ctx, tok, "acme.localhost", auth.SessionPolicy{Idle: time.Hour, Max: time.Hour})
	return err == nil
}

func (e *env) attempts(t *testing.T, agencyID, ws string) []auth.Attempt {
	t.Helper()
	as, err := e.auth.AttemptsOf(ctx, agencyID, ws, 100)
	if err != nil {
		t.Fatal(err)
	}
	return as
}

func tenantAgency(t *testing.T, e *env, id string) (tenant.Agency, error) {
	t.Helper()
	a, err := tenant.NewStore(e.db.DB).AgencyByID(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return *a, nil
}
