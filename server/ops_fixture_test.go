package server_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"workrate/auth"
	"workrate/migrations/testdb"
	"workrate/operator"
	"workrate/workspace"
)

// apiAgency is an agency with an API key and one workspace, reached through
// the JSON API on its own host.
type apiAgency struct {
	Host, Key, WorkspaceID string
}

func newAPIAgency(t *testing.T, db testdb.DB) apiAgency {
	t.Helper()
	ctx := context.Background()
	a, err := operator.CreateAgency(ctx, db.DB, "Ops Co", "ops", "owner@ops.example", "Owner", "not-a-usable-hash")
	if err != nil {
		t.Fatal(err)
	}
	key, _, err := auth.NewStore(db.DB).CreateAPIKey(ctx, a.ID, "ops", "")
	if err != nil {
		t.Fatal(err)
	}
	ws, err := workspace.NewStore(db.DB).CreateWorkspace(ctx, a.ID, workspace.Actor{Kind: workspace.ActorSystem, Name: "test"}, workspace.WorkspaceInput{Name: "Ops"})
	if err != nil {
		t.Fatal(err)
	}
	return apiAgency{Host: "ops.localhost", Key: key, WorkspaceID: ws.ID}
}

// apiRequest builds an API request for the agency's host to base (a URL
// prefix such as http://127.0.0.1:1234, or "" for in-process handlers).
func (a apiAgency) apiRequest(method, base, path, body string) *http.Request {
	if base == "" {
		base = "http://workrate.test"
	}
	req, _ := http.NewRequest(method, base+"/api/v1"+path, strings.NewReader(body))
	req.Host = a.Host
	req.Header.Set("Authorization", "Bearer "+a.Key)
	req.Header.Set("Content-Type", "application/json")
	return req
}

// answer is what a client got: a status and body, or the transport error.
type answer struct {
	Status     int
	RetryAfter string
	Body       string
	Err        error
}

func do(client *http.Client, req *http.Request) answer {
	resp, err := client.Do(req)
	if err != nil {
		return answer{Err: err}
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return answer{Status: resp.StatusCode, RetryAfter: resp.Header.Get("Retry-After"), Body: string(b)}
}

// count returns the number of rows of table.
func count(t *testing.T, db testdb.DB, table string) int {
	t.Helper()
	n, err := db.NewSelect().Table(table).Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}

// mountTmpfs mounts a tmpfs of size bytes on a new directory, or skips the
// test where mounting is not allowed.
func mountTmpfs(t *testing.T, size int) string {
	t.Helper()
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+strconv.Itoa(size), "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a small tmpfs to fill a disk (needs root): %v: %s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("umount", "-l", dir).Run() })
	return dir
}

// fillDisk writes the file name in dir until the file system is full.
func fillDisk(t *testing.T, dir, name string) {
	t.Helper()
	f, err := os.Create(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	chunk := make([]byte, 4096)
	for {
		if _, err := f.Write(chunk); err != nil {
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatal(err)
			}
			return
		}
	}
}
