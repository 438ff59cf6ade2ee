package store_test

import (
	"context"
	"io"
	"net"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"workrate/migrations/testdb"
	"workrate/store"
)

// TestWaitForADatabaseThatComesUp: the database's port refuses connections
// until the second try; WaitFor keeps trying and succeeds once it answers.
func TestWaitForADatabaseThatComesUp(t *testing.T) {
	base := os.Getenv(testdb.EnvURL)
	if base == "" {
		t.Skipf("%s is unset: needs PostgreSQL to stand in for a database that comes up", testdb.EnvURL)
	}
	pg, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	// A port with nothing behind it yet.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	late := *pg
	late.Host = addr
	db, err := store.Open(late.String())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	tries := 0
	err = store.WaitFor(context.Background(), db, time.Minute, func(err error, pause time.Duration) {
		tries++
		if tries == 2 { // the database comes up: a proxy to the real one
			proxy, lerr := net.Listen("tcp", addr)
			if lerr != nil {
				t.Errorf("listen on %s: %v", addr, lerr)
				return
			}
			t.Cleanup(func() { proxy.Close() })
			go forward(proxy, pg.Host)
		}
	})
	if err != nil {
		t.Fatalf("WaitFor: %v", err)
	}
	if tries < 2 {
		t.Errorf("answered after %d failed tries; the database was down for 2", tries)
	}
}

func forward(ln net.Listener, to string) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		go func() {
			defer c.Close()
			up, err := net.Dial("tcp", to)
			if err != nil {
				return
			}
			defer up.Close()
			go func() { _, _ = io.Copy(up, c) }()
			_, _ = io.Copy(c, up)
		}()
	}
}

// TestWaitForGivesUp: a database that never answers ends the wait with the
// error, and an error that waiting cannot fix (a database that does not
// exist) is returned at once.
func TestWaitForGivesUp(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	db, err := store.Open("postgres://nobody@" + addr + "/none?sslmode=disable")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tries := 0
	err = store.WaitFor(context.Background(), db, 300*time.Millisecond, func(error, time.Duration) { tries++ })
	if err == nil || !strings.Contains(err.Error(), "waited 300ms") || tries == 0 {
		t.Errorf("WaitFor on a closed port: %v after %d retries; want the error after retrying", err, tries)
	}

	base := os.Getenv(testdb.EnvURL)
	if base == "" {
		t.Skipf("%s is unset: the does-not-exist case needs PostgreSQL", testdb.EnvURL)
	}
	u, _ := url.Parse(base)
	u.Path = "/workrate_no_such_database"
	missing, err := store.Open(u.String())
	if err != nil {
		t.Fatal(err)
	}
	defer missing.Close()
	tries = 0
	err = store.WaitFor(context.Background(), missing, time.Hour, func(error, time.Duration) { tries++ })
	if err == nil || tries != 0 {
		t.Errorf("WaitFor on a missing database: %v after %d retries; want the error at once", err, tries)
	}
}
