// Package testdb gives tests a fresh, migrated database on SQLite and, when
// WORKRATE_TEST_DATABASE_URL is set, on PostgreSQL too.
package testdb

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/uptrace/bun"

	"workrate/migrations"
	"workrate/store"
)

// EnvURL names the variable that points tests at a PostgreSQL database.
const EnvURL = "WORKRATE_TEST_DATABASE_URL"

// DB is one migrated test database.
type DB struct {
	Name string // "sqlite" or "postgres"
	URL  string // how another process would reach the same data
	*bun.DB
}

// Each returns a fresh migrated SQLite database and, when EnvURL is set, a fresh
// PostgreSQL schema of its own; both are removed when the test ends.
func Each(t testing.TB) []DB {
	t.Helper()
	dbs := []DB{SQLite(t)}
	if os.Getenv(EnvURL) == "" {
		t.Logf("testdb: %s is unset: PostgreSQL skipped, SQLite only", EnvURL)
		return dbs
	}
	return append(dbs, Postgres(t))
}

// SQLite returns a fresh migrated SQLite database in a temporary directory.
func SQLite(t testing.TB) DB {
	t.Helper()
	u := "sqlite://" + filepath.Join(t.TempDir(), "test.db")
	db, err := store.Open(u)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	if _, err := migrations.Run(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	return DB{Name: "sqlite", URL: u, DB: db}
}

// Postgres returns a fresh migrated schema on the PostgreSQL of EnvURL,
// dropped when the test ends. It skips the test when EnvURL is unset.
func Postgres(t testing.TB) DB {
	t.Helper()
	base := os.Getenv(EnvURL)
	if base == "" {
		t.Skipf("testdb: %s is unset: PostgreSQL test skipped", EnvURL)
	}
	admin, err := store.Open(base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	ctx := context.Background()
	schema := "t_" + randomHex(8)
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("testdb: create schema: %v", err)
	}
	t.Cleanup(func() {
		a, err := store.Open(base)
		if err != nil {
			return
		}
		defer a.Close()
		_, _ = a.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
	})
	u, err := WithSearchPath(base, schema)
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(u)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	if _, err := migrations.Run(ctx, db); err != nil {
		t.Fatal(err)
	}
	return DB{Name: "postgres", URL: u, DB: db}
}

// WithSearchPath returns a PostgreSQL URL whose connections use schema.
func WithSearchPath(raw, schema string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("testdb: parse %s: %w", EnvURL, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
