package cluster

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"workrate/certs/certstest"
	"workrate/migrations"
	"workrate/migrations/testdb"
	"workrate/store"
	"workrate/tenant"
)

// pgbouncer runs PgBouncer in transaction pooling in front of the local
// PostgreSQL on a free loopback port and returns its address; it skips the
// test when PgBouncer is not installed (CI installs it).
func pgbouncer(t *testing.T) string {
	t.Helper()
	bin, err := exec.LookPath("pgbouncer")
	if err != nil {
		if _, err = os.Stat("/usr/sbin/pgbouncer"); err != nil {
			t.Skip("pgbouncer is not installed (apt-get install -y pgbouncer): PgBouncer test skipped")
		}
		bin = "/usr/sbin/pgbouncer"
	}
	dir, err := os.MkdirTemp("", "pgbouncer-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	_ = os.Chmod(dir, 0o755) // PgBouncer drops root and runs as postgres: it must read its files
	port := certstest.FreePort(t)
	ini := fmt.Sprintf(`[databases]
* = host=127.0.0.1 port=5432
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = %d
unix_socket_dir =
auth_type = trust
auth_file = %s/userlist.txt
pool_mode = transaction
default_pool_size = 10
max_client_conn = 200
ignore_startup_parameters = extra_float_digits
`, port, dir)
	for name, body := range map[string]string{"pgbouncer.ini": ini, "userlist.txt": `"postgres" ""` + "\n"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	args := []string{filepath.Join(dir, "pgbouncer.ini")}
	if os.Geteuid() == 0 {
		args = append([]string{"-u", "postgres"}, args...) // it refuses to run as root
	}
	cmd := exec.Command(bin, args...)
	logs := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-done
		if t.Failed() {
			t.Logf("pgbouncer logs:\n%s", logs.tail(30))
		}
	})
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	if _, ok := eventually(10*time.Second, func() bool {
		c, err := netDialer.Dial("tcp", addr)
		if err == nil {
			c.Close()
		}
		return err == nil
	}); !ok {
		t.Fatalf("pgbouncer did not listen:\n%s", logs.tail(30))
	}
	return addr
}

// TestBehindPgBouncer: an instance whose ordinary queries go through PgBouncer
// in transaction pooling (and whose LISTEN and migration lock go direct)
// serves concurrent reads and writes, and still follows changes at once.
func TestBehindPgBouncer(t *testing.T) {
	base := database(t) // skips without PostgreSQL
	ctx := context.Background()
	// A database of its own: PgBouncer pools per database, and a search_path
	// startup parameter would not survive transaction pooling.
	name := "wr_pgb_" + store.NewID()[24:]
	if _, err := base.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = base.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)") })
	direct := "postgres://postgres@127.0.0.1:5432/" + name + "?sslmode=disable"
	db, err := store.Open(direct)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := migrations.Run(ctx, db); err != nil {
		t.Fatal(err)
	}
	pooled := "postgres://postgres@" + pgbouncer(t) + "/" + name + "?sslmode=disable"
	in := start(t, pooled, "WORKRATE_DATABASE_DIRECT_URL="+direct)

	_, wsID, key := seedAgency(t, testdb.DB{Name: "postgres", URL: direct, DB: db}, "pooled")
	api := newVisitor(t, "pooled.localhost")
	if _, ok := eventually(3*time.Second, func() bool {
		code, _, _ := api.send(in, http.MethodGet, "/api/v1/workspaces/"+wsID, nil, "", key)
		return code == http.StatusOK
	}); !ok {
		t.Fatal("agency not served through PgBouncer")
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	failures := map[int]int{}
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v := newVisitor(t, "pooled.localhost")
			for i := range 25 {
				codes := []int{}
				code, _, _ := v.send(in, http.MethodPost, "/api/v1/workspaces/"+wsID+"/invoices", nil,
					fmt.Sprintf(`{"number":"P-%d-%d","issued_on":"2026-11-01","due_on":"2026-11-30","currency":"EUR","lines":[{"description":"a","quantity":1,"unit_price_cents":100},{"description":"b","quantity":2,"unit_price_cents":50}]}`, w, i), key)
				codes = append(codes, code)
				code, _, _ = v.send(in, http.MethodPost, "/api/v1/workspaces/"+wsID+"/tickets", nil, fmt.Sprintf(`{"subject":"pooled %d-%d"}`, w, i), key)
				codes = append(codes, code)
				code, _, _ = v.send(in, http.MethodGet, "/api/v1/workspaces/"+wsID+"/tickets?limit=10", nil, "", key)
				codes = append(codes, code)
				mu.Lock()
				for _, c := range codes {
					if c >= 300 || c == 0 {
						failures[c]++
					}
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(failures) > 0 {
		t.Fatalf("requests through PgBouncer failed: %v", failures)
	}
	var invoices, lines int
	_ = db.NewRaw("SELECT count(*) FROM invoices").Scan(ctx, &invoices)
	_ = db.NewRaw("SELECT count(*) FROM invoice_lines").Scan(ctx, &lines)
	if invoices != 100 || lines != 200 {
		t.Fatalf("%d invoices with %d lines, want 100 with 200", invoices, lines)
	}
	// LISTEN goes direct: a new agency is served at once.
	if _, err := tenant.NewStore(db).CreateAgency(ctx, "Pooled Late", "pooled-late"); err != nil {
		t.Fatal(err)
	}
	if d, ok := eventually(time.Second, func() bool {
		code, _ := in.get("pooled-late.localhost", "/")
		return code == http.StatusSeeOther
	}); !ok {
		t.Fatalf("agency not served after %v behind PgBouncer", d)
	}
}
