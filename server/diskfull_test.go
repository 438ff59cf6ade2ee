package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"workrate/migrations"
	"workrate/migrations/testdb"
	"workrate/server/servertest"
	"workrate/store"
)

// waitReady polls /readyz until it answers want (the write probe runs in
// the background, at most every few seconds).
func waitReady(t *testing.T, h http.Handler, want int) {
	t.Helper()
	for range 300 {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/readyz", nil))
		if rec.Code == want {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("/readyz never answered %d", want)
}

// TestSQLiteDiskFull: on a full disk, writes answer 503 (the API's envelope,
// the "not saved" page), never 500; /readyz turns 503; once there is room
// again everything works without a restart.
func TestSQLiteDiskFull(t *testing.T) {
	dir := mountTmpfs(t, 8<<20)
	u := "sqlite://" + filepath.Join(dir, "workrate.db")
	bdb, err := store.Open(u)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = bdb.Close() })
	if _, err := migrations.Run(context.Background(), bdb); err != nil {
		t.Fatal(err)
	}
	db := testdb.DB{Name: "sqlite", URL: u, DB: bdb}
	ag := newAPIAgency(t, db)
	env := servertest.New(t, db)
	h := env.App.Handler()
	waitReady(t, h, http.StatusOK)

	fillDisk(t, dir, "filler")
	body := strings.Repeat("disk ", 3000)
	var refused *httptest.ResponseRecorder
	for i := range 5000 {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, ag.apiRequest(http.MethodPost, "", "/workspaces/"+ag.WorkspaceID+"/tickets", fmt.Sprintf(`{"subject":"full %d","body":%q}`, i, body)))
		if rec.Code != http.StatusCreated {
			refused = rec
			break
		}
	}
	if refused == nil {
		t.Fatal("every write succeeded on a full disk")
	}
	if refused.Code != http.StatusServiceUnavailable || refused.Header().Get("Retry-After") == "" || !strings.Contains(refused.Body.String(), `"error"`) {
		t.Fatalf("write on a full disk: %d Retry-After %q %s; want 503 in the API's envelope", refused.Code, refused.Header().Get("Retry-After"), refused.Body)
	}
	waitReady(t, h, http.StatusServiceUnavailable)

	// A page that writes (a sign-in records the attempt) says what happened.
	form := url.Values{"email": {"client@ops.example"}, "password": {"wrong password"}}
	req := httptest.NewRequest(http.MethodPost, "http://workrate.test/login", strings.NewReader(form.Encode()))
	req.Host = ag.Host
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "not saved") {
		t.Errorf("sign-in on a full disk: %d %.300s; want 503 saying the change was not saved", rec.Code, rec.Body)
	}

	// Room again: ready, and writes work, without a restart.
	if err := os.Remove(filepath.Join(dir, "filler")); err != nil {
		t.Fatal(err)
	}
	waitReady(t, h, http.StatusOK)
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, ag.apiRequest(http.MethodPost, "", "/workspaces/"+ag.WorkspaceID+"/tickets", `{"subject":"room again"}`))
	if rec.Code != http.StatusCreated {
		t.Errorf("write after freeing room: %d %s", rec.Code, rec.Body)
	}
}

// TestPostgresDiskFull: the tickets table lives in a tablespace on a small
// tmpfs; once it is full, creating a ticket fails with 53100 (disk_full) and
// the API answers 503, never 500. It needs PostgreSQL on this machine (the
// tablespace's directory must be the server's) and root to mount the tmpfs.
func TestPostgresDiskFull(t *testing.T) {
	db := testdb.Postgres(t)
	pgUser, err := user.Lookup("postgres")
	if err != nil {
		t.Skipf("no postgres user on this machine to own a tablespace: %v", err)
	}
	dir := mountTmpfs(t, 1<<20)
	uid, _ := strconv.Atoi(pgUser.Uid)
	gid, _ := strconv.Atoi(pgUser.Gid)
	if err := os.Chown(dir, uid, gid); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Dir(dir), 0o755); err != nil { // the server must reach it
		t.Fatal(err)
	}
	ctx := context.Background()
	space := "ts_" + strings.ReplaceAll(filepath.Base(filepath.Dir(dir)), "TestPostgresDiskFull", "")
	if _, err := db.ExecContext(ctx, "CREATE TABLESPACE "+space+" LOCATION '"+dir+"'"); err != nil {
		t.Skipf("cannot create a tablespace on the tmpfs (PostgreSQL on another machine, or not a superuser): %v", err)
	}
	t.Cleanup(func() { _, _ = db.ExecContext(ctx, "DROP TABLESPACE "+space) })
	if _, err := db.ExecContext(ctx, "ALTER TABLE tickets SET TABLESPACE "+space); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = db.ExecContext(ctx, "ALTER TABLE tickets SET TABLESPACE pg_default") })

	ag := newAPIAgency(t, db)
	env := servertest.New(t, db)
	h := env.App.Handler()
	fillDisk(t, dir, "filler")
	body := strings.Repeat("disk ", 3000)
	var refused *httptest.ResponseRecorder
	for i := range 5000 {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, ag.apiRequest(http.MethodPost, "", "/workspaces/"+ag.WorkspaceID+"/tickets", fmt.Sprintf(`{"subject":"full %d","body":%q}`, i, body)))
		if rec.Code != http.StatusCreated {
			refused = rec
			break
		}
	}
	if refused == nil {
		t.Fatal("every write succeeded on a full disk")
	}
	if refused.Code != http.StatusServiceUnavailable || refused.Header().Get("Retry-After") == "" || !strings.Contains(refused.Body.String(), `"error"`) {
		t.Fatalf("write on a full disk: %d Retry-After %q %s; want 503 in the API's envelope", refused.Code, refused.Header().Get("Retry-After"), refused.Body)
	}
	if err := os.Remove(filepath.Join(dir, "filler")); err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, ag.apiRequest(http.MethodPost, "", "/workspaces/"+ag.WorkspaceID+"/tickets", `{"subject":"room again"}`))
	if rec.Code != http.StatusCreated {
		t.Errorf("write after freeing room: %d %s", rec.Code, rec.Body)
	}
}
