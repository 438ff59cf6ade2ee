package certs_test

import (
	"context"
	"errors"
	"io/fs"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"workrate/certs"
	"workrate/migrations/testdb"
)

func TestPGStorageFiles(t *testing.T) {
	db := testdb.Postgres(t)
	s := certs.NewPGStorage(db.DB, certs.PGOptions{})
	ctx := context.Background()

	for _, k := range []string{"a/b/c", "a/b/d", "a/e", "ab/f", "wildcard_.x/y%z", "wildcardQ.x/w"} {
		if err := s.Store(ctx, k, []byte("value of "+k)); err != nil {
			t.Fatal(err)
		}
	}
	pf := &pgFiles{s: s, ctx: ctx}
	t.Run("load and overwrite", pf.loadAndOverwrite)
	t.Run("missing keys are fs.ErrNotExist", pf.missingKeys)
	t.Run("stat", pf.stat)
	t.Run("exists", pf.exists)
	t.Run("list", pf.list)
	t.Run("delete", pf.delete)
}

// pgFiles is the shared state of TestPGStorageFiles's steps.
type pgFiles struct {
	s   *certs.PGStorage
	ctx context.Context
}

// loadAndOverwrite: a stored value loads, and storing again overwrites it.
func (pf *pgFiles) loadAndOverwrite(t *testing.T) {
	s, ctx := pf.s, pf.ctx
	if err := s.Store(ctx, "a/e", []byte("new")); err != nil {
		t.Fatal(err)
	}
	v, err := s.Load(ctx, "a/e")
	if err != nil || string(v) != "new" {
		t.Fatalf("Load = %q, %v", v, err)
	}
	if err := s.Store(ctx, "empty", nil); err != nil {
		t.Fatal(err)
	}
	if v, err := s.Load(ctx, "empty"); err != nil || len(v) != 0 {
		t.Fatalf("empty value = %q, %v", v, err)
	}
}

// missingKeys: missing keys are fs.ErrNotExist.
func (pf *pgFiles) missingKeys(t *testing.T) {
	s, ctx := pf.s, pf.ctx
	if _, err := s.Load(ctx, "a/nope"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Load missing = %v", err)
	}
	if _, err := s.Load(ctx, "a/b"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Load of a directory = %v, want fs.ErrNotExist", err)
	}
	if _, err := s.Stat(ctx, "a/nope"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Stat missing = %v", err)
	}
	if _, err := s.List(ctx, "nope", false); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("List missing = %v", err)
	}
	if _, err := s.Stat(ctx, "a/b/c/d"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Stat below a file = %v", err)
	}
}

// stat describes files and directories.
func (pf *pgFiles) stat(t *testing.T) {
	s, ctx := pf.s, pf.ctx
	before := time.Now().Add(-time.Minute)
	fi, err := s.Stat(ctx, "a/b/c")
	if err != nil || !fi.IsTerminal || fi.Size != int64(len("value of a/b/c")) || fi.Key != "a/b/c" || fi.Modified.Before(before) {
		t.Errorf("Stat file = %+v, %v", fi, err)
	}
	di, err := s.Stat(ctx, "a/b")
	if err != nil || di.IsTerminal || di.Key != "a/b" {
		t.Errorf("Stat directory = %+v, %v", di, err)
	}
}

// exists knows files and directories, with LIKE wildcards as plain characters.
func (pf *pgFiles) exists(t *testing.T) {
	s, ctx := pf.s, pf.ctx
	cases := map[string]bool{"a/b/c": true, "a/b": true, "a": true, "a/b/": true, "a/x": false, "a/b/c/d": false, "wildcard": false, "wildcard_.x": true, "wildcardQ.x": true}
	for k, want := range cases {
		if got := s.Exists(ctx, k); got != want {
			t.Errorf("Exists(%q) = %v, want %v", k, got, want)
		}
	}
}

// list returns immediate children, or all with recursive.
func (pf *pgFiles) list(t *testing.T) {
	s, ctx := pf.s, pf.ctx
	cases := []struct {
		prefix    string
		recursive bool
		want      []string
	}{
		{"a", false, []string{"a/b", "a/e"}},
		{"a/", false, []string{"a/b", "a/e"}},
		{"a", true, []string{"a/b", "a/b/c", "a/b/d", "a/e"}},
		{"a/b", false, []string{"a/b/c", "a/b/d"}},
		{"ab", true, []string{"ab/f"}},
		{"wildcard_.x", false, []string{"wildcard_.x/y%z"}}, // LIKE wildcards are plain characters
		{"", false, []string{"a", "ab", "empty", "wildcardQ.x", "wildcard_.x"}},
	}
	for _, c := range cases {
		got, err := s.List(ctx, c.prefix, c.recursive)
		if err != nil || !slices.Equal(got, c.want) {
			t.Errorf("List(%q, %v) = %q, %v; want %q", c.prefix, c.recursive, got, err, c.want)
		}
	}
}

// delete removes a file, or a directory and what is under it.
func (pf *pgFiles) delete(t *testing.T) {
	s, ctx := pf.s, pf.ctx
	if err := s.Delete(ctx, "a/nope"); err != nil {
		t.Errorf("Delete missing = %v, want nil", err)
	}
	if err := s.Delete(ctx, "a/b/c"); err != nil {
		t.Fatal(err)
	}
	if s.Exists(ctx, "a/b/c") || !s.Exists(ctx, "a/b/d") {
		t.Error("Delete of a file removed the wrong keys")
	}
	if err := s.Delete(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	if s.Exists(ctx, "a") || s.Exists(ctx, "a/b/d") || s.Exists(ctx, "a/e") {
		t.Error("Delete of a directory left keys under it")
	}
	if !s.Exists(ctx, "ab/f") {
		t.Error("Delete(a) removed ab/f, which is not under it")
	}
	if err := s.Delete(ctx, "wildcard_.x"); err != nil {
		t.Fatal(err)
	}
	if !s.Exists(ctx, "wildcardQ.x/w") {
		t.Error("Delete treated _ as a wildcard")
	}
}

func TestPGStorageLocks(t *testing.T) {
	db := testdb.Postgres(t)
	opts := certs.PGOptions{LockTTL: 600 * time.Millisecond, PollInterval: 20 * time.Millisecond}
	one := certs.NewPGStorage(db.DB, opts) // two instances of the app
	two := certs.NewPGStorage(db.DB, opts)
	ctx := context.Background()

	pl := &pgLocks{db: db, opts: opts, one: one, two: two, ctx: ctx}
	t.Run("lock blocks until unlocked", pl.blocksUntilUnlocked)
	t.Run("lock honours the context", pl.honoursContext)
	t.Run("held locks are renewed", pl.renewed)
	t.Run("a crashed holder's lock expires", pl.crashedHolder)
	t.Run("unlock checks the owner", pl.unlockChecksOwner)
	t.Run("lease renewal", pl.leaseRenewal)
}

// pgLocks is the shared state of TestPGStorageLocks's steps.
type pgLocks struct {
	db   testdb.DB
	opts certs.PGOptions
	one  *certs.PGStorage
	two  *certs.PGStorage
	ctx  context.Context
}

// blocksUntilUnlocked: Lock blocks until the holder unlocks.
func (pl *pgLocks) blocksUntilUnlocked(t *testing.T) {
	one, two, ctx := pl.one, pl.two, pl.ctx
	if err := one.Lock(ctx, "issue_cert_x"); err != nil {
		t.Fatal(err)
	}
	var got atomic.Bool
	done := make(chan error, 1)
	go func() {
		err := two.Lock(ctx, "issue_cert_x")
		got.Store(true)
		done <- err
	}()
	time.Sleep(300 * time.Millisecond)
	if got.Load() {
		t.Fatal("second Lock returned while the first was held")
	}
	if err := one.Unlock(ctx, "issue_cert_x"); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("second Lock did not return after Unlock")
	}
	if err := two.Unlock(ctx, "issue_cert_x"); err != nil {
		t.Fatal(err)
	}
}

// honoursContext: Lock gives up when its context ends.
func (pl *pgLocks) honoursContext(t *testing.T) {
	one, two, ctx := pl.one, pl.two, pl.ctx
	if err := one.Lock(ctx, "busy"); err != nil {
		t.Fatal(err)
	}
	defer one.Unlock(ctx, "busy")
	short, cancel := context.WithTimeout(ctx, 150*time.Millisecond)
	defer cancel()
	start := time.Now()
	err := two.Lock(short, "busy")
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 2*time.Second {
		t.Fatalf("Lock on a held lock with a short context = %v after %v", err, time.Since(start))
	}
}

// renewed: a held lock is renewed past its TTL.
func (pl *pgLocks) renewed(t *testing.T) {
	opts, one, two, ctx := pl.opts, pl.one, pl.two, pl.ctx
	if err := one.Lock(ctx, "long"); err != nil {
		t.Fatal(err)
	}
	// Three lock lifetimes later it is still held.
	short, cancel := context.WithTimeout(ctx, 3*opts.LockTTL)
	defer cancel()
	if err := two.Lock(short, "long"); err == nil {
		t.Fatal("a held, renewed lock was taken after its TTL")
	}
	if err := one.Unlock(ctx, "long"); err != nil {
		t.Fatal(err)
	}
}

// crashedHolder: the lock of a holder that crashed expires.
func (pl *pgLocks) crashedHolder(t *testing.T) {
	db, two, ctx := pl.db, pl.two, pl.ctx
	// A holder that died: its row is there, nobody renews it.
	if _, err := db.ExecContext(ctx, "INSERT INTO cert_locks (key, owner, expires_at) VALUES ('stale', 'dead-instance', now() + interval '400 milliseconds')"); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	wait, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := two.Lock(wait, "stale"); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < 300*time.Millisecond {
		t.Errorf("stale lock taken after %v, before it expired", d)
	}
	if err := two.Unlock(ctx, "stale"); err != nil {
		t.Fatal(err)
	}
}

// unlockChecksOwner: Unlock checks the owner.
func (pl *pgLocks) unlockChecksOwner(t *testing.T) {
	db, one, two, ctx := pl.db, pl.one, pl.two, pl.ctx
	if err := one.Lock(ctx, "mine"); err != nil {
		t.Fatal(err)
	}
	if err := two.Unlock(ctx, "mine"); err == nil {
		t.Error("another instance unlocked a lock it does not hold")
	}
	var n int
	if err := db.NewRaw("SELECT count(*) FROM cert_locks WHERE key = 'mine'").Scan(ctx, &n); err != nil || n != 1 {
		t.Fatalf("lock row count = %d, %v", n, err)
	}
	// The lock is lost (as if renewals failed) and taken by the other instance:
	// the first holder's Unlock must fail and leave the new holder's lock alone.
	if _, err := db.ExecContext(ctx, "UPDATE cert_locks SET owner = 'someone-else', expires_at = now() - interval '1 second' WHERE key = 'mine'"); err != nil {
		t.Fatal(err)
	}
	if err := two.Lock(ctx, "mine"); err != nil {
		t.Fatal(err)
	}
	if err := one.Unlock(ctx, "mine"); err == nil {
		t.Error("Unlock of a lock taken over by another owner succeeded")
	}
	if err := db.NewRaw("SELECT count(*) FROM cert_locks WHERE key = 'mine'").Scan(ctx, &n); err != nil || n != 1 {
		t.Fatalf("the new holder's lock was removed: count = %d, %v", n, err)
	}
	if err := two.Unlock(ctx, "mine"); err != nil {
		t.Fatal(err)
	}
	if err := two.Unlock(ctx, "mine"); err == nil {
		t.Error("double Unlock succeeded")
	}
}

// leaseRenewal: the holder renews the lease of its lock.
func (pl *pgLocks) leaseRenewal(t *testing.T) {
	db, one, two, ctx := pl.db, pl.one, pl.two, pl.ctx
	if err := one.Lock(ctx, "lease"); err != nil {
		t.Fatal(err)
	}
	if err := one.RenewLockLease(ctx, "lease", time.Hour); err != nil {
		t.Fatal(err)
	}
	var left float64
	if err := db.NewRaw("SELECT extract(epoch FROM expires_at - now()) FROM cert_locks WHERE key = 'lease'").Scan(ctx, &left); err != nil || left < 3000 {
		t.Fatalf("lease after RenewLockLease(1h) = %vs, %v", left, err)
	}
	if err := two.RenewLockLease(ctx, "lease", time.Hour); err == nil {
		t.Error("RenewLockLease of a lock held elsewhere succeeded")
	}
	if err := one.Unlock(ctx, "lease"); err != nil {
		t.Fatal(err)
	}
}
