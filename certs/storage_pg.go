package certs

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/caddyserver/certmagic"
	"github.com/uptrace/bun"

	"workrate/store"
)

// PGStorage is a certmagic.Storage on PostgreSQL (tables cert_data and
// cert_locks), so that every instance shares certificates and obtains each
// one once. It honours the interface exactly:
//   - Load, Stat and List of a missing key are fs.ErrNotExist;
//   - keys are paths: "a" is a prefix of "a/b" but not of "ab/c"; List(p, false)
//     returns the immediate children of p only; Delete of a "directory"
//     removes everything under it;
//   - Lock blocks until the lock is held or ctx ends; a lock expires after
//     LockTTL unless its holder renews it, which this storage does by itself
//     while the lock is held (so a crashed holder frees it within LockTTL);
//   - Unlock releases only a lock this storage holds, and fails if the lock
//     expired and was taken by another owner meanwhile.
//
// Lock times come from the database's clock, so instances need not agree on
// theirs.
type PGStorage struct {
	db       bun.IDB
	ttl      time.Duration
	poll     time.Duration
	instance string

	mu   sync.Mutex
	held map[string]*heldLock
}

// heldLock is a lock this storage holds, and the goroutine that renews it.
type heldLock struct {
	owner string
	stop  chan struct{}
	done  chan struct{}
}

// PGOptions tunes a PGStorage; zero values mean the defaults.
type PGOptions struct {
	LockTTL      time.Duration // a lock not renewed for this long is free (default 30s)
	PollInterval time.Duration // how often a waiting Lock retries (default 500ms)
}

var _ certmagic.Storage = (*PGStorage)(nil)
var _ certmagic.LockLeaseRenewer = (*PGStorage)(nil)

// NewPGStorage returns a storage on db, which must be PostgreSQL.
func NewPGStorage(db bun.IDB, opts PGOptions) *PGStorage {
	if opts.LockTTL <= 0 {
		opts.LockTTL = 30 * time.Second
	}
	if opts.PollInterval <= 0 {
		opts.PollInterval = 500 * time.Millisecond
	}
	host, _ := os.Hostname()
	return &PGStorage{
		db: db, ttl: opts.LockTTL, poll: opts.PollInterval,
		instance: fmt.Sprintf("%s/%d/%s", host, os.Getpid(), randomHex(6)),
		held:     map[string]*heldLock{},
	}
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// dirPrefix is what every key under the "directory" key starts with; the
// root ("") holds every key.
func dirPrefix(key string) string {
	key = strings.Trim(key, "/")
	if key == "" {
		return ""
	}
	return key + "/"
}

// Store puts value at key, replacing what was there.
func (s *PGStorage) Store(ctx context.Context, key string, value []byte) error {
	if value == nil {
		value = []byte{}
	}
	_, err := s.db.NewRaw(`INSERT INTO cert_data (key, value, modified) VALUES (?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, modified = EXCLUDED.modified`,
		key, value, store.Now()).Exec(ctx)
	if err != nil {
		return fmt.Errorf("certs: store %s: %w", key, err)
	}
	return nil
}

// Load returns the value at key, or fs.ErrNotExist.
func (s *PGStorage) Load(ctx context.Context, key string) ([]byte, error) {
	var v []byte
	err := s.db.NewRaw("SELECT value FROM cert_data WHERE key = ?", key).Scan(ctx, &v)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("certs: load %s: %w", key, fs.ErrNotExist)
	}
	if err != nil {
		return nil, fmt.Errorf("certs: load %s: %w", key, err)
	}
	return v, nil
}

// Delete removes key and, when key is a "directory", every key under it.
// A missing key is not an error.
func (s *PGStorage) Delete(ctx context.Context, key string) error {
	_, err := s.db.NewRaw("DELETE FROM cert_data WHERE key = ? OR starts_with(key, ?)", key, dirPrefix(key)).Exec(ctx)
	if err != nil {
		return fmt.Errorf("certs: delete %s: %w", key, err)
	}
	return nil
}

// Exists reports whether key is a file or a "directory" of other keys.
func (s *PGStorage) Exists(ctx context.Context, key string) bool {
	var ok bool
	err := s.db.NewRaw("SELECT EXISTS (SELECT 1 FROM cert_data WHERE key = ? OR starts_with(key, ?))", key, dirPrefix(key)).Scan(ctx, &ok)
	return err == nil && ok
}

// Stat describes key: a file with its size and time, or a "directory".
func (s *PGStorage) Stat(ctx context.Context, key string) (certmagic.KeyInfo, error) {
	var row struct {
		Size     int64     `bun:"size"`
		Modified time.Time `bun:"modified"`
	}
	err := s.db.NewRaw("SELECT octet_length(value) AS size, modified FROM cert_data WHERE key = ?", key).Scan(ctx, &row)
	if err == nil {
		return certmagic.KeyInfo{Key: key, Modified: row.Modified, Size: row.Size, IsTerminal: true}, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return certmagic.KeyInfo{}, fmt.Errorf("certs: stat %s: %w", key, err)
	}
	var newest sql.NullTime
	err = s.db.NewRaw("SELECT max(modified) FROM cert_data WHERE starts_with(key, ?)", dirPrefix(key)).Scan(ctx, &newest)
	if err != nil {
		return certmagic.KeyInfo{}, fmt.Errorf("certs: stat %s: %w", key, err)
	}
	if !newest.Valid {
		return certmagic.KeyInfo{}, fmt.Errorf("certs: stat %s: %w", key, fs.ErrNotExist)
	}
	return certmagic.KeyInfo{Key: key, Modified: newest.Time, IsTerminal: false}, nil
}

// List returns the keys under prefix: with recursive, every file and
// "directory" below it; without, its immediate children only. A prefix with
// nothing under it is fs.ErrNotExist.
func (s *PGStorage) List(ctx context.Context, prefix string, recursive bool) ([]string, error) {
	p := dirPrefix(prefix)
	var keys []string
	if recursive {
		err := s.db.NewRaw("SELECT key FROM cert_data WHERE starts_with(key, ?)", p).Scan(ctx, &keys)
		if err != nil {
			return nil, fmt.Errorf("certs: list %s: %w", prefix, err)
		}
	} else {
		// The first path component after the prefix, computed by the database
		// so that a directory of many certificates is not read whole.
		err := s.db.NewRaw("SELECT DISTINCT split_part(substr(key, char_length(?) + 1), '/', 1) FROM cert_data WHERE starts_with(key, ?)", p, p).
			Scan(ctx, &keys)
		if err != nil {
			return nil, fmt.Errorf("certs: list %s: %w", prefix, err)
		}
		for i := range keys {
			keys[i] = p + keys[i]
		}
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("certs: list %s: %w", prefix, fs.ErrNotExist)
	}
	if recursive {
		// Add the "directories" between the prefix and each file.
		seen := make(map[string]bool, len(keys))
		for _, k := range keys {
			seen[k] = true
		}
		files := keys
		for _, k := range files {
			for i := len(p); i < len(k); i++ {
				if k[i] == '/' && !seen[k[:i]] {
					seen[k[:i]] = true
					keys = append(keys, k[:i])
				}
			}
		}
	}
	slices.Sort(keys)
	return keys, nil
}

// Lock blocks until this storage holds the lock called name or ctx ends.
func (s *PGStorage) Lock(ctx context.Context, name string) error {
	owner := s.instance + "/" + randomHex(6)
	for {
		ok, err := s.tryLock(ctx, name, owner)
		if err != nil {
			if ctx.Err() != nil {
				// The driver may report an ended context as an I/O timeout.
				return fmt.Errorf("certs: lock %s: %w", name, ctx.Err())
			}
			return err
		}
		if ok {
			s.hold(name, owner)
			return nil
		}
		t := time.NewTimer(s.poll)
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("certs: lock %s: %w", name, ctx.Err())
		case <-t.C:
		}
	}
}

// TryLock takes the lock called name if it is free and reports whether it did.
func (s *PGStorage) TryLock(ctx context.Context, name string) (bool, error) {
	owner := s.instance + "/" + randomHex(6)
	ok, err := s.tryLock(ctx, name, owner)
	if ok {
		s.hold(name, owner)
	}
	return ok, err
}

// tryLock inserts the lock row, or takes it over when it has expired.
func (s *PGStorage) tryLock(ctx context.Context, name, owner string) (bool, error) {
	res, err := s.db.NewRaw(`INSERT INTO cert_locks (key, owner, expires_at)
		VALUES (?, ?, now() + ? * interval '1 millisecond')
		ON CONFLICT (key) DO UPDATE SET owner = EXCLUDED.owner, expires_at = EXCLUDED.expires_at
		WHERE cert_locks.expires_at < now()`, name, owner, s.ttl.Milliseconds()).Exec(ctx)
	if err != nil {
		return false, fmt.Errorf("certs: lock %s: %w", name, err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// hold records a lock just taken and starts renewing it every third of its life.
func (s *PGStorage) hold(name, owner string) {
	h := &heldLock{owner: owner, stop: make(chan struct{}), done: make(chan struct{})}
	s.mu.Lock()
	old := s.held[name]
	s.held[name] = h
	s.mu.Unlock()
	if old != nil {
		// A lock of ours that expired and was taken again: its renewer is moot.
		old.halt()
	}
	go s.renew(name, h)
}

func (h *heldLock) halt() {
	select {
	case <-h.stop:
	default:
		close(h.stop)
	}
	<-h.done
}

func (s *PGStorage) renew(name string, h *heldLock) {
	defer close(h.done)
	t := time.NewTicker(s.ttl / 3)
	defer t.Stop()
	for {
		select {
		case <-h.stop:
			return
		case <-t.C:
		}
		ctx, cancel := context.WithTimeout(context.Background(), s.ttl/3)
		n, err := s.extend(ctx, name, h.owner, s.ttl)
		cancel()
		switch {
		case err != nil:
			slog.Warn("certs: renewing a lock failed; retrying", "lock", name, "err", err)
		case n == 0:
			slog.Error("certs: a held lock expired and was taken by another owner", "lock", name)
			return
		}
	}
}

// extend pushes a lock's expiry to at least now + d, if owner still holds it.
func (s *PGStorage) extend(ctx context.Context, name, owner string, d time.Duration) (int64, error) {
	res, err := s.db.NewRaw(`UPDATE cert_locks SET expires_at = GREATEST(expires_at, now() + ? * interval '1 millisecond')
		WHERE key = ? AND owner = ?`, d.Milliseconds(), name, owner).Exec(ctx)
	if err != nil {
		return 0, fmt.Errorf("certs: renew lock %s: %w", name, err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}

// RenewLockLease keeps a held lock for at least d more (certmagic asks before
// long retries).
func (s *PGStorage) RenewLockLease(ctx context.Context, name string, d time.Duration) error {
	s.mu.Lock()
	h := s.held[name]
	s.mu.Unlock()
	if h == nil {
		return fmt.Errorf("certs: renew lock %s: not held here", name)
	}
	n, err := s.extend(ctx, name, h.owner, d)
	if err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("certs: renew lock %s: it expired and was taken by another owner", name)
	}
	return nil
}

// Unlock releases a lock this storage holds. It fails, releasing nothing,
// when the lock is not held here or was taken over after expiring.
func (s *PGStorage) Unlock(ctx context.Context, name string) error {
	s.mu.Lock()
	h := s.held[name]
	delete(s.held, name)
	s.mu.Unlock()
	if h == nil {
		return fmt.Errorf("certs: unlock %s: not held here", name)
	}
	h.halt()
	// Release even when the caller's context has ended: a lock left behind
	// would make every other instance wait for it to expire.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	res, err := s.db.NewRaw("DELETE FROM cert_locks WHERE key = ? AND owner = ?", name, h.owner).Exec(ctx)
	if err != nil {
		return fmt.Errorf("certs: unlock %s: %w", name, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("certs: unlock %s: it expired and was taken by another owner", name)
	}
	return nil
}

// String names the storage in certmagic's logs.
func (s *PGStorage) String() string { return "PGStorage(" + s.instance + ")" }
