package server_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"workrate/migrations/testdb"
	"workrate/server"
	"workrate/server/servertest"
)

// TestDeadlineCancelsQueriesHeldByALock: another connection holds the rows a
// request needs (PostgreSQL: SELECT … FOR UPDATE and a table lock in an open
// transaction; SQLite: an open write transaction). Past the request deadline
// the API answers 503 in its envelope and a page the branded 503 page, and
// nothing the requests tried to write is there once the lock is released.
func TestDeadlineCancelsQueriesHeldByALock(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			ctx := context.Background()
			ag := newAPIAgency(t, db)
			// The ticket is made with the default deadline: a loaded machine
			// may take longer than the short one that the test is about.
			rec := httptest.NewRecorder()
			servertest.New(t, db).App.Handler().ServeHTTP(rec, ag.apiRequest(http.MethodPost, "", "/workspaces/"+ag.WorkspaceID+"/tickets", `{"subject":"Locked"}`))
			if rec.Code != http.StatusCreated {
				t.Fatalf("create ticket: %d %s", rec.Code, rec.Body)
			}
			var tk struct{ ID, Status string }
			if err := json.Unmarshal(rec.Body.Bytes(), &tk); err != nil {
				t.Fatal(err)
			}
			attempts := count(t, db, "login_attempts")
			env := servertest.New(t, db, func(c *server.Config) { c.RequestTimeout = 300 * time.Millisecond })

			holder, err := db.BeginTx(ctx, &sql.TxOptions{}) // SQLite: BEGIN IMMEDIATE, the write lock
			if err != nil {
				t.Fatal(err)
			}
			defer holder.Rollback()
			if db.Name == "postgres" {
				if _, err := holder.ExecContext(ctx, "SELECT id FROM tickets WHERE id = ? FOR UPDATE", tk.ID); err != nil {
					t.Fatal(err)
				}
				if _, err := holder.ExecContext(ctx, "LOCK TABLE login_attempts IN ACCESS EXCLUSIVE MODE"); err != nil {
					t.Fatal(err)
				}
			}

			var api, page *httptest.ResponseRecorder
			var wg sync.WaitGroup
			wg.Go(func() {
				api = httptest.NewRecorder()
				env.App.Handler().ServeHTTP(api, ag.apiRequest(http.MethodPatch, "", "/workspaces/"+ag.WorkspaceID+"/tickets/"+tk.ID, `{"status":"closed"}`))
			})
			wg.Go(func() {
				form := url.Values{"email": {"client@ops.example"}, "password": {"wrong password"}}
				req := httptest.NewRequest(http.MethodPost, "http://workrate.test/login", strings.NewReader(form.Encode()))
				req.Host = ag.Host
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				page = httptest.NewRecorder()
				env.App.Handler().ServeHTTP(page, req)
			})
			wg.Wait()
			if err := holder.Rollback(); err != nil {
				t.Fatal(err)
			}

			var env503 struct {
				Error struct{ Code, Message string }
			}
			if api.Code != http.StatusServiceUnavailable || api.Header().Get("Retry-After") == "" ||
				json.Unmarshal(api.Body.Bytes(), &env503) != nil || env503.Error.Code == "" || env503.Error.Message == "" {
				t.Errorf("API request past its deadline: %d Retry-After %q %s; want 503 in the error envelope", api.Code, api.Header().Get("Retry-After"), api.Body)
			}
			if page.Code != http.StatusServiceUnavailable || !strings.Contains(page.Body.String(), "<title>Temporarily unavailable") {
				t.Errorf("page past its deadline: %d %.300s; want the branded 503 page", page.Code, page.Body)
			}

			var status string
			if err := db.NewSelect().Table("tickets").Column("status").Where("id = ?", tk.ID).Scan(ctx, &status); err != nil {
				t.Fatal(err)
			}
			if status != tk.Status {
				t.Errorf("ticket status %q after a request answered 503; want it unchanged (%q)", status, tk.Status)
			}
			if got := count(t, db, "login_attempts"); got != attempts {
				t.Errorf("%d sign-in attempts recorded by a request answered 503; want %d", got, attempts)
			}
		})
	}
}
