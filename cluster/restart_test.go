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

	env := servertest.New(t, db)
	go env.App.Resolver().Listen(ctx, db.DB)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: env.App.Handler(), ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()
	base := "http://" + ln.Addr().String()
	client := &http.Client{Timeout: 10 * time.Second}
	call := func(method, path, body string) (int, string) {
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
	time.Sleep(200 * time.Millisecond) // let the listener settle before counting goroutines
	goroutinesBefore := runtime.NumGoroutine()

	// Bounded load: 4 clients, each alternating a read and a write, for at most 20 s.
	var (
		mu        sync.Mutex
		statuses  = map[int]int{}
		committed []string // ticket ids the API confirmed (201)
		stop      atomic.Bool
		wg        sync.WaitGroup
	)
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			deadline := time.Now().Add(20 * time.Second)
			for i := 0; !stop.Load() && time.Now().Before(deadline); i++ {
				code, _ := call(http.MethodGet, "/api/v1/workspaces/"+ws.ID+"/tickets?limit=5", "")
				code2, body := call(http.MethodPost, "/api/v1/workspaces/"+ws.ID+"/tickets", fmt.Sprintf(`{"subject":"load %d-%d"}`, w, i))
				var tk struct{ ID string }
				mu.Lock()
				statuses[code]++
				statuses[code2]++
				if code2 == http.StatusCreated && json.Unmarshal([]byte(body), &tk) == nil {
					committed = append(committed, tk.ID)
				}
				mu.Unlock()
				time.Sleep(10 * time.Millisecond)
			}
		}()
	}
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
	stop.Store(true)
	wg.Wait()

	mu.Lock()
	t.Logf("statuses during the run: %v", statuses)
	if statuses[http.StatusInternalServerError] > 0 {
		t.Errorf("%d answers were 500; an outage must be 503", statuses[http.StatusInternalServerError])
	}
	if statuses[http.StatusServiceUnavailable] == 0 {
		t.Errorf("no 503 during a 2 s outage: %v", statuses)
	}
	ids := append([]string(nil), committed...)
	mu.Unlock()

	// Every ticket the API confirmed is there.
	sc := workspace.StaffScope(a.ID, ws.ID)
	for _, id := range ids {
		if _, err := workspace.NewStore(db.DB).Ticket(ctx, sc, id); err != nil {
			t.Fatalf("confirmed ticket %s lost: %v", id, err)
		}
	}
	t.Logf("%d confirmed tickets all present", len(ids))

	// The change listener reconnected: a new agency is served within a second.
	if _, err := tenant.NewStore(db.DB).CreateAgency(ctx, "After Restart", "after-restart"); err != nil {
		t.Fatal(err)
	}
	// The listener retries every 2 s at most, and reloads everything once back.
	if d, ok := eventually(8*time.Second, func() bool {
		return env.App.Resolver().Resolve("after-restart.localhost").Kind == tenant.AgencyHost
	}); !ok {
		t.Errorf("agency created after the restart not served after %v: the listener did not reconnect", d)
	}

	// No goroutine leaked (idle keep-alive connections closed first).
	client.CloseIdleConnections()
	if _, ok := eventually(5*time.Second, func() bool { return runtime.NumGoroutine() <= goroutinesBefore+5 }); !ok {
		buf := make([]byte, 1<<20)
		n := runtime.Stack(buf, true)
		t.Errorf("goroutines: %d before, %d after\n%s", goroutinesBefore, runtime.NumGoroutine(), buf[:n])
	}
}
