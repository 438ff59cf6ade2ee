package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"workrate/migrations"
	"workrate/server/servertest"
	"workrate/store"
	"workrate/store/testdb"
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
