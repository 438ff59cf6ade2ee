// Package store opens the database (PostgreSQL or the embedded SQLite) and holds
// what every data package shares: sentinel errors, ids, time and dialect helpers.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect"
	"github.com/uptrace/bun/dialect/pgdialect"
	"github.com/uptrace/bun/dialect/sqlitedialect"
	"github.com/uptrace/bun/driver/pgdriver"
	"github.com/uptrace/bun/driver/sqliteshim"
)

// DefaultURL is the embedded database used when nothing is configured.
const DefaultURL = "sqlite://data/workrate.db"

// Open connects to the database named by rawURL: postgres://… or sqlite://PATH.
// The SQLite directory is created when missing. Open does not check the
// connection; call Ping for that.
func Open(rawURL string) (*bun.DB, error) {
	switch {
	case strings.HasPrefix(rawURL, "postgres://"), strings.HasPrefix(rawURL, "postgresql://"):
		return openPostgres(rawURL)
	case strings.HasPrefix(rawURL, "sqlite://"), strings.HasPrefix(rawURL, "sqlite:"):
		return openSQLite(rawURL)
	default:
		return nil, fmt.Errorf("store: unsupported database URL %q: want postgres://… or sqlite://PATH", redact(rawURL))
	}
}

func openPostgres(rawURL string) (*bun.DB, error) {
	if _, err := url.Parse(rawURL); err != nil {
		return nil, fmt.Errorf("store: parse database URL: %w", err)
	}
	connector := pgdriver.NewConnector(
		pgdriver.WithDSN(rawURL),
		pgdriver.WithTimeout(5*time.Second),
		pgdriver.WithDialTimeout(3*time.Second),
		pgdriver.WithReadTimeout(30*time.Second),
		pgdriver.WithWriteTimeout(10*time.Second),
	)
	sqldb := sql.OpenDB(connector)
	// A pool a little larger than the cores: queries wait on I/O, not CPU.
	n := 4 * runtime.GOMAXPROCS(0)
	sqldb.SetMaxOpenConns(n)
	sqldb.SetMaxIdleConns(n)
	sqldb.SetConnMaxIdleTime(5 * time.Minute)
	return bun.NewDB(sqldb, pgdialect.New()), nil
}

func openSQLite(rawURL string) (*bun.DB, error) {
	path := strings.TrimPrefix(strings.TrimPrefix(rawURL, "sqlite:"), "//")
	if path == "" {
		return nil, errors.New("store: sqlite URL has no path")
	}
	memory := path == ":memory:" || strings.HasPrefix(path, "file::memory:")
	if !memory {
		if err := checkSQLitePath(path); err != nil {
			return nil, err
		}
	}
	// Pragmas in the DSN so that every pooled connection has them.
	dsn := "file:" + path + "?_pragma=foreign_keys(1)&_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_txlock=immediate"
	if memory {
		dsn = "file:" + strings.TrimPrefix(path, "file:") + "?_pragma=foreign_keys(1)&_pragma=busy_timeout(10000)&_txlock=immediate"
	}
	sqldb, err := sql.Open(sqliteshim.ShimName, dsn)
	if err != nil {
		return nil, fmt.Errorf("store: open sqlite: %w", err)
	}
	if memory {
		// Every connection to ":memory:" is its own database: keep one.
		sqldb.SetMaxOpenConns(1)
	} else {
		sqldb.SetMaxOpenConns(2 * runtime.GOMAXPROCS(0))
	}
	sqldb.SetConnMaxIdleTime(0)
	return bun.NewDB(sqldb, sqlitedialect.New()), nil
}

// checkSQLitePath says plainly what is wrong with the path of an SQLite
// database (a directory where the file should be, a parent that cannot be
// created, a directory that cannot be written), which the driver would only
// report later as "out of memory (14)". A missing directory is created.
func checkSQLitePath(path string) error {
	dir := filepath.Dir(path)
	fi, err := os.Stat(dir)
	switch {
	case err != nil:
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return fmt.Errorf("store: database directory %s does not exist and cannot be created: %w", dir, err)
		}
	case !fi.IsDir():
		return fmt.Errorf("store: %s is not a directory, so it cannot hold the database %s", dir, path)
	}
	fi, err = os.Stat(path)
	switch {
	case err == nil && fi.IsDir():
		return fmt.Errorf("store: database path %s is a directory; name a file in it, like sqlite://%s", path, filepath.Join(path, "workrate.db"))
	case err == nil:
		f, err := os.OpenFile(path, os.O_RDWR, 0)
		if err != nil {
			return fmt.Errorf("store: database file %s cannot be opened for writing (check its owner and mode): %w", path, err)
		}
		_ = f.Close()
	case !errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("store: database file %s: %w", path, err)
	}
	// SQLite creates the -wal and -shm files beside the database: the
	// directory itself must be writable, not only the file.
	probe, err := os.CreateTemp(dir, ".workrate-write-check-*")
	if err != nil {
		return fmt.Errorf("store: database directory %s is not writable (SQLite keeps the database and its -wal and -shm files there): %w", dir, err)
	}
	_ = probe.Close()
	_ = os.Remove(probe.Name())
	return nil
}

// IsPostgres reports whether db speaks PostgreSQL.
func IsPostgres(db bun.IDB) bool {
	return db.Dialect().Name() == dialect.PG
}

// Ping checks that the database answers within a short time.
func Ping(ctx context.Context, db *bun.DB) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	var one int
	if err := db.NewRaw("SELECT 1").Scan(ctx, &one); err != nil {
		return fmt.Errorf("store: ping: %w", err)
	}
	return nil
}

// WaitFor pings db until it answers, backing off from a quarter of a second
// to five seconds between tries, for at most wait (or until ctx ends). Only an
// unreachable database is waited for (refused connections, a server still
// starting); any other error, such as a wrong password, is returned at once.
// retry, if not nil, is told of each failed try and the pause before the next.
func WaitFor(ctx context.Context, db *bun.DB, wait time.Duration, retry func(err error, pause time.Duration)) error {
	deadline := time.Now().Add(wait)
	pause := 250 * time.Millisecond
	for {
		err := Ping(ctx, db)
		if err == nil {
			return nil
		}
		if !Unavailable(err) || ctx.Err() != nil {
			return err
		}
		left := time.Until(deadline)
		if left <= 0 {
			return fmt.Errorf("%w (waited %s)", err, wait)
		}
		pause = min(pause, left)
		if retry != nil {
			retry(err, pause)
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(pause):
		}
		pause = min(2*pause, 5*time.Second)
	}
}

// ProbeWrite proves that the database accepts a write: it rewrites the one
// row of health_probes and commits, so a full disk or a read-only database
// fails it.
func ProbeWrite(ctx context.Context, db bun.IDB) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	_, err := db.NewRaw("INSERT INTO health_probes (id, checked_at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at", Now()).Exec(ctx)
	if err != nil {
		return fmt.Errorf("store: write probe: %w", err)
	}
	return nil
}

// Now is the current time in UTC, truncated to what both databases keep.
func Now() time.Time {
	return time.Now().UTC().Truncate(time.Microsecond)
}

// redact hides a password in a database URL for messages.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}
