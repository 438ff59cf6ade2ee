package cluster

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"workrate/auth"
	"workrate/migrations/testdb"
	"workrate/operator"
	"workrate/server/servertest"
	"workrate/tenant"
	"workrate/workspace"
)

// restartEnv names the variable that allows a test to restart the local
// PostgreSQL. Restarting it disturbs every other test using it, so CI runs
// this test alone, in a step of its own.
const restartEnv = "WORKRATE_TEST_PG_RESTART"

// pgctl runs pg_ctlcluster on the local cluster.
func pgctl(t *testing.T, action string) {
	t.Helper()
	entries, err := os.ReadDir("/etc/postgresql")
	if err != nil || len(entries) == 0 {
		t.Fatalf("no local PostgreSQL cluster: %v", err)
	}
	out, err := exec.Command("pg_ctlcluster", "--skip-systemctl-redirect", entries[0].Name(), "main", action).CombinedOutput()
	if err != nil {
		t.Fatalf("pg_ctlcluster %s: %v\n%s", action, err, out)
	}
}

// TestPostgresRestartUnderLoad: with PostgreSQL stopped for two seconds during a
// bounded load, requests answer 503 (never 500), the app recovers by itself,
// no committed row is lost, the change listener reconnects, and no goroutine leaks.
func TestPostgresRestartUnderLoad(t *testing.T) {
	if os.Getenv(restartEnv) != "1" {
		t.Skipf("set %s=1 to let this test restart the local PostgreSQL (CI runs it in a step of its own)", restartEnv)
	}
	db := database(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	a, key, ws := restartFixture(t, db)

	env := servertest.New(t, db)
	go env.App.Resolver().Listen(ctx, db.DB)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: env.App.Handler(), ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()
	client := &http.Client{Timeout: 10 * time.Second}
	call := apiCaller(client, "http://"+ln.Addr().String(), key)
	time.Sleep(200 * time.Millisecond) // let the listener settle before counting goroutines
	goroutinesBefore := runtime.NumGoroutine()

	// Bounded load: 4 clients, each alternating a read and a write, for at most 20 s.
	load := &restartLoad{call: call, wsID: ws.ID, statuses: map[int]int{}}
	load.start(4)
	time.Sleep(time.Second)
	pgctl(t, "stop")
	outage := time.Now()
	if code, _ := call(http.MethodGet, "/readyz", ""); code != http.StatusServiceUnavailable {
		t.Errorf("readyz during the outage = %d, want 503", code)
	}
	time.Sleep(2 * time.Second)
	pgctl(t, "start")
	t.Logf("PostgreSQL down for %v", time.Since(outage))

	// The app recovers by itself.
	if d, ok := eventually(15*time.Second, func() bool {
		code, _ := call(http.MethodGet, "/api/v1/workspaces/"+ws.ID, "")
		return code == http.StatusOK
	}); !ok {
		t.Fatalf("no recovery %v after PostgreSQL came back", d)
	} else {
		t.Logf("recovered %v after PostgreSQL came back", d)
	}
	if code, _ := call(http.MethodGet, "/readyz", ""); code != http.StatusOK {
		t.Errorf("readyz after the outage = %d", code)
	}
	time.Sleep(time.Second)
	statuses, ids := load.finish()
	checkRestartStatuses(t, statuses)
	checkAfterRestart(t, db, env, workspace.StaffScope(a.ID, ws.ID), ids)

	// No goroutine leaked (idle keep-alive connections closed first).
	client.CloseIdleConnections()
	if _, ok := eventually(5*time.Second, func() bool { return runtime.NumGoroutine() <= goroutinesBefore+5 }); !ok {
		buf := make([]byte, 1<<20)
		n := runtime.Stack(buf, true)
		t.Errorf("goroutines: %d before, %d after\n%s", goroutinesBefore, runtime.NumGoroutine(), buf[:n])
	}
}

// restartFixture makes an agency with an API key and a workspace.
func restartFixture(t *testing.T, db testdb.DB) (*tenant.Agency, string, *workspace.Workspace) {
	t.Helper()
	ctx := context.Background()
	hash, err := auth.HashPassword("restart-owner-pass", auth.DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	a, err := operator.CreateAgency(ctx, db.DB, "Restart Co", "restart", "owner@restart.example", "Owner", hash)
	if err != nil {
		t.Fatal(err)
	}
	key, _, err := auth.NewStore(db.DB).CreateAPIKey(ctx, a.ID, "load", "")
	if err != nil {
		t.Fatal(err)
	}
	ws, err := workspace.NewStore(db.DB).CreateWorkspace(ctx, a.ID, workspace.Actor{Kind: workspace.ActorSystem, Name: "test"}, workspace.WorkspaceInput{Name: "Load"})
	if err != nil {
		t.Fatal(err)
	}
	return a, key, ws
}

// apiCaller returns a function that calls the API at base with key on the
// agency's host, and answers the status and body (status 0: no answer).
func apiCaller(client *http.Client, base, key string) func(method, path, body string) (int, string) {
	return func(method, path, body string) (int, string) {
		req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
		req.Host = "restart.localhost"
		req.Header.Set("Authorization", "Bearer "+key)
		req.Header.Set("Content-Type", "application/json")
		resp, err := client.Do(req)
		if err != nil {
			return 0, err.Error()
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
}

// restartLoad is a bounded load on the API: clients each alternating a read
// and a write, counting the statuses and the tickets the API confirmed.
type restartLoad struct {
	call      func(method, path, body string) (int, string)
	wsID      string
	mu        sync.Mutex
	statuses  map[int]int
	committed []string // ticket ids the API confirmed (201)
	stop      atomic.Bool
	wg        sync.WaitGroup
}

// start runs clients for at most 20 s, until finish.
func (l *restartLoad) start(clients int) {
	for w := range clients {
		l.wg.Add(1)
		go func() {
			defer l.wg.Done()
			deadline := time.Now().Add(20 * time.Second)
			for i := 0; !l.stop.Load() && time.Now().Before(deadline); i++ {
				code, _ := l.call(http.MethodGet, "/api/v1/workspaces/"+l.wsID+"/tickets?limit=5", "")
				code2, body := l.call(http.MethodPost, "/api/v1/workspaces/"+l.wsID+"/tickets", fmt.Sprintf(`{"subject":"load %d-%d"}`, w, i))
				var tk struct{ ID string }
				l.mu.Lock()
				l.statuses[code]++
				l.statuses[code2]++
				if code2 == http.StatusCreated && json.Unmarshal([]byte(body), &tk) == nil {
					l.committed = append(l.committed, tk.ID)
				}
				l.mu.Unlock()
				time.Sleep(10 * time.Millisecond)
			}
		}()
	}
}

// finish stops the clients and returns the statuses and confirmed tickets.
func (l *restartLoad) finish() (map[int]int, []string) {
	l.stop.Store(true)
	l.wg.Wait()
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.statuses, append([]string(nil), l.committed...)
}

// checkRestartStatuses wants 503 during the outage, never 500.
func checkRestartStatuses(t *testing.T, statuses map[int]int) {
	t.Helper()
	t.Logf("statuses during the run: %v", statuses)
	if statuses[http.StatusInternalServerError] > 0 {
		t.Errorf("%d answers were 500; an outage must be 503", statuses[http.StatusInternalServerError])
	}
	if statuses[http.StatusServiceUnavailable] == 0 {
		t.Errorf("no 503 during a 2 s outage: %v", statuses)
	}
}

// checkAfterRestart wants every ticket the API confirmed (ids) to be there,
// and the change listener to have reconnected: a new agency is served soon.
func checkAfterRestart(t *testing.T, db testdb.DB, env *servertest.Env, sc workspace.Scope, ids []string) {
	t.Helper()
	ctx := context.Background()
	for _, id := range ids {
		if _, err := workspace.NewStore(db.DB).Ticket(ctx, sc, id); err != nil {
			t.Fatalf("confirmed ticket %s lost: %v", id, err)
		}
	}
	t.Logf("%d confirmed tickets all present", len(ids))
	if _, err := tenant.NewStore(db.DB).CreateAgency(ctx, "After Restart", "after-restart"); err != nil {
		t.Fatal(err)
	}
	// The listener retries every 2 s at most, and reloads everything once back.
	if d, ok := eventually(8*time.Second, func() bool {
		return env.App.Resolver().Resolve("after-restart.localhost").Kind == tenant.AgencyHost
	}); !ok {
		t.Errorf("agency created after the restart not served after %v: the listener did not reconnect", d)
	}
}
