package api_test

import (
	"context"
	"encoding/json"
	"testing"

	"workrate/auth"
	"workrate/migrations/testdb"
	"workrate/server/servertest"
	"workrate/tenant"
	"workrate/workspace"
)

// world is a running app with two agencies, A ("acme") and B ("bolt").
type world struct {
	t      *testing.T
	env    *servertest.Env
	A, B   *tenant.Agency
	hostA  string
	hostB  string
	tenant *tenant.Store
	auth   *auth.Store
}

func newWorld(t *testing.T, db testdb.DB) *world {
	t.Helper()
	ctx := context.Background()
	w := &world{t: t, hostA: "acme.localhost", hostB: "bolt.localhost",
		tenant: tenant.NewStore(db.DB), auth: auth.NewStore(db.DB)}
	var err error
	if w.A, err = w.tenant.CreateAgency(ctx, "Acme Studio", "acme"); err != nil {
		t.Fatal(err)
	}
	if w.B, err = w.tenant.CreateAgency(ctx, "Bolt Works", "bolt"); err != nil {
		t.Fatal(err)
	}
	w.env = servertest.New(t, db)
	return w
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

// newClientWorkspace adds a workspace to agency a and returns its id.
func (w *world) newClientWorkspace(a *tenant.Agency, name string) string {
	w.t.Helper()
	ws, err := workspace.NewStore(w.env.DB.DB).CreateWorkspace(context.Background(), a.ID,
		workspace.Actor{Kind: workspace.ActorSystem}, workspace.WorkspaceInput{Name: name})
	if err != nil {
		w.t.Fatal(err)
	}
	return ws.ID
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
