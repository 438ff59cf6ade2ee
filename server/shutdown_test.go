package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"workrate/migrations/testdb"
	"workrate/server"
	"workrate/server/servertest"
)

// heldQueries holds every query that mentions table until release is closed
// or the query's context ends: a slow request, at a point the test knows.
type heldQueries struct {
	table   string
	started chan string
	release chan struct{}
}

// holdQueries returns db with the hook on it (the caller builds the app on it).
func holdQueries(db testdb.DB, table string) (*heldQueries, testdb.DB) {
	h := &heldQueries{table: table, started: make(chan string, 64), release: make(chan struct{})}
	db.DB = db.WithQueryHook(h)
	return h, db
}

func (h *heldQueries) BeforeQuery(ctx context.Context, e *bun.QueryEvent) context.Context {
	if e.Operation() == "SELECT" && strings.Contains(e.Query, h.table) {
		h.started <- e.Query
		select {
		case <-h.release:
		case <-ctx.Done():
		}
	}
	return ctx
}

func (h *heldQueries) AfterQuery(context.Context, *bun.QueryEvent) {}

// waitReadyz polls /readyz until it answers want; shutdown starts in Run's
// goroutine, so the test waits for it rather than guessing a delay.
func waitReadyz(t *testing.T, h http.Handler, want int) {
	t.Helper()
	for range 10000 {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/readyz", nil))
		if rec.Code == want {
			return
		}
		time.Sleep(time.Millisecond)
	}
	t.Fatalf("/readyz never answered %d", want)
}

// startRun runs the app as `workrate serve` does; stop is the SIGTERM.
func startRun(t *testing.T, env *servertest.Env) (base string, stop func(), done <-chan error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- env.App.Run(ctx) }()
	select {
	case addr := <-env.App.Listening():
		return "http://" + addr.String(), cancel, errc
	case err := <-errc:
		cancel()
		t.Fatalf("Run ended before listening: %v", err)
	}
	return "", cancel, errc
}

func TestShutdownLetsRequestsInFlightFinish(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			ag := newAPIAgency(t, db)
			held, hooked := holdQueries(db, "api_keys")
			env := servertest.New(t, hooked, func(c *server.Config) { c.ShutdownTimeout = time.Minute })
			base, stop, done := startRun(t, env)

			const n = 4
			answers := make(chan answer, n)
			for i := range n {
				req := ag.apiRequest(http.MethodPost, base, "/workspaces/"+ag.WorkspaceID+"/tickets", fmt.Sprintf(`{"subject":"written during shutdown %d"}`, i))
				go func() { answers <- do(http.DefaultClient, req) }()
			}
			for range n {
				<-held.started // every request is in flight
			}
			stop() // SIGTERM
			waitReadyz(t, env.App.Handler(), http.StatusServiceUnavailable)
			close(held.release) // the slow requests go on, on their own context

			for range n {
				if a := <-answers; a.Err != nil || a.Status != http.StatusCreated {
					t.Errorf("request in flight at shutdown: %d %v %.200s; want 201", a.Status, a.Err, a.Body)
				}
			}
			if err := <-done; err != nil {
				t.Fatalf("Run after SIGTERM: %v; want nil (exit 0)", err)
			}
			if got := count(t, db, "tickets"); got != n {
				t.Errorf("%d tickets stored; want the %d acknowledged", got, n)
			}
		})
	}
}

func TestShutdownAnswers503ToWhatCannotFinish(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			ag := newAPIAgency(t, db)
			held, hooked := holdQueries(db, "api_keys") // never released
			env := servertest.New(t, hooked, func(c *server.Config) { c.ShutdownTimeout = 300 * time.Millisecond })
			base, stop, done := startRun(t, env)

			const n = 4
			answers := make(chan answer, n)
			for i := range n {
				req := ag.apiRequest(http.MethodPost, base, "/workspaces/"+ag.WorkspaceID+"/tickets", fmt.Sprintf(`{"subject":"cut by shutdown %d"}`, i))
				go func() { answers <- do(http.DefaultClient, req) }()
			}
			for range n {
				<-held.started
			}
			stop()
			for range n {
				a := <-answers
				if a.Err != nil || a.Status != http.StatusServiceUnavailable || a.RetryAfter == "" || !strings.Contains(a.Body, `"error"`) {
					t.Errorf("request cut by shutdown: %d Retry-After %q %v %.200s; want 503 with Retry-After in the API's envelope", a.Status, a.RetryAfter, a.Err, a.Body)
				}
			}
			if err := <-done; err != nil {
				t.Fatalf("Run after SIGTERM: %v; want nil (exit 0)", err)
			}
			if got := count(t, db, "tickets"); got != 0 {
				t.Errorf("%d tickets stored by requests answered 503", got)
			}
		})
	}
}
