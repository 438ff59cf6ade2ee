package agency_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"workrate/auth"
	"workrate/migrations/testdb"
	"workrate/server/servertest"
	"workrate/tenant"
)

// cheap hashes seeded passwords fast; verification reads the parameters
// from the hash, so sign-in stays real.
var cheap = auth.Params{Memory: 64, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16}

// world is a running app with two agencies, A ("acme") and B ("bolt"), each
// with an owner, an admin and a member.
type world struct {
	t      *testing.T
	env    *servertest.Env
	A, B   *tenant.Agency
	staff  map[string]*auth.Staff // "A-owner", "B-member", …
	hostA  string
	hostB  string
	tenant *tenant.Store
	auth   *auth.Store
}

const pw = "correct horse battery"

func newWorld(t *testing.T, db testdb.DB) *world {
	t.Helper()
	ctx := context.Background()
	w := &world{t: t, staff: map[string]*auth.Staff{}, hostA: "acme.localhost", hostB: "bolt.localhost",
		tenant: tenant.NewStore(db.DB), auth: auth.NewStore(db.DB)}
	var err error
	if w.A, err = w.tenant.CreateAgency(ctx, "Acme Studio", "acme"); err != nil {
		t.Fatal(err)
	}
	if w.B, err = w.tenant.CreateAgency(ctx, "Bolt Works", "bolt"); err != nil {
		t.Fatal(err)
	}
	for _, a := range []struct {
		key string
		ag  *tenant.Agency
	}{{"A", w.A}, {"B", w.B}} {
		for _, role := range []string{auth.RoleOwner, auth.RoleAdmin, auth.RoleMember} {
			w.addStaff(a.key+"-"+role, a.ag.ID, role+"@"+a.ag.Slug+".example", role, pw)
		}
	}
	w.env = servertest.New(t, db)
	return w
}

func (w *world) addStaff(key, agencyID, email, role, password string) *auth.Staff {
	w.t.Helper()
	hash, err := auth.HashPassword(password, cheap)
	if err != nil {
		w.t.Fatal(err)
	}
	st, err := w.auth.CreateStaff(context.Background(), agencyID, email, strings.ToUpper(key[:1])+key[1:], role, hash)
	if err != nil {
		w.t.Fatal(err)
	}
	w.staff[key] = st
	return st
}

// signIn returns a browser signed in as staff key on host.
func (w *world) signIn(key, host string) *servertest.Browser {
	w.t.Helper()
	b := w.env.Browser()
	r := b.Post(host, "/staff/login", servertest.Values("email", w.staff[key].Email, "password", pw))
	if r.Status != http.StatusSeeOther {
		w.t.Fatalf("sign-in of %s on %s = %d: %.300s", key, host, r.Status, r.Body)
	}
	return b
}

// hostOf is the host of agency key "A" or "B".
func (w *world) hostOf(key string) string {
	if strings.HasPrefix(key, "A") {
		return w.hostA
	}
	return w.hostB
}

// apiKey makes an API key for agency a.
func (w *world) apiKey(a *tenant.Agency) string {
	w.t.Helper()
	key, _, err := w.auth.CreateAPIKey(context.Background(), a.ID, "test", "test")
	if err != nil {
		w.t.Fatal(err)
	}
	return key
}

// apiErrorOf decodes the error envelope, failing the test if it is not one.
func apiErrorOf(t *testing.T, r *servertest.Response) (code, message string) {
	t.Helper()
	var env struct {
		Error *struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if err := json.Unmarshal([]byte(r.Body), &env); err != nil || env.Error == nil || env.Error.Code == "" || env.Error.Message == "" {
		t.Fatalf("answer %d is not the error envelope: %.300s", r.Status, r.Body)
	}
	return env.Error.Code, env.Error.Message
}
