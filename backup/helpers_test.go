package backup

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"workrate/fixture"
	"workrate/migrations/testdb"
	"workrate/store"
)

// world is the fixture (two agencies, four workspaces) plus one row in every
// table the fixture leaves empty, for both agencies, and platform rows.
func world(t *testing.T, db bun.IDB) *fixture.Fixture {
	t.Helper()
	f := fixture.New(t, db)
	ctx := context.Background()
	now := store.Now()
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := db.ExecContext(ctx, q, args...); err != nil {
			t.Fatalf("world: %s: %v", q, err)
		}
	}
	for _, w := range []*fixture.Workspace{f.A1, f.B1} {
		a, key := w.Agency.ID, strings.ToLower(w.Key)
		exec("INSERT INTO domains (id, agency_id, hostname, verification_token, created_at, updated_at, next_check_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
			store.NewID(), a, "app."+key+".example", "tok-"+key, now, now, now.Add(time.Hour))
		exec("INSERT INTO api_keys (id, agency_id, name, prefix, key_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)",
			store.NewID(), a, "CRM "+key, "wr_"+key, "hash-"+key, now)
		exec("UPDATE staff_users SET totp_secret = ?, totp_enabled = ? WHERE agency_id = ?", []byte{0, 1, 2, 255, byte(len(key))}, true, a)
		exec("INSERT INTO portal_accounts (id, agency_id, workspace_id, login_email, password_hash, enabled, tools, created_at, updated_at, password_expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			store.NewID(), a, w.ID, "client@"+key+".example", "$argon2id$fake-"+key, true, "tickets,messages", now, now, nil)
		exec("INSERT INTO recovery_codes (id, agency_id, subject_kind, subject_id, code_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)",
			store.NewID(), a, "staff", w.Staff.ID, "code-"+key, now)
		exec("INSERT INTO sessions (id, kind, agency_id, subject_id, host, session_version, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
			"sess-"+key, "staff", a, w.Staff.ID, key+".localhost", 1, now, now, now.Add(time.Hour))
		exec("INSERT INTO login_attempts (id, agency_id, workspace_id, kind, email, ip, host, success, reason, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			store.NewID(), a, w.ID, "portal", "client@"+key+".example", "127.0.0.1", key+".localhost", false, "password", now)
		exec("INSERT INTO sign_in_tags (account_id, agency_id, tag) VALUES (?, ?, ?)", store.NewID(), a, "0123456789abcdef:0a1b")
		exec("INSERT INTO portal_events (id, agency_id, workspace_id, actor_kind, action, created_at) VALUES (?, ?, ?, ?, ?, ?)",
			store.NewID(), a, w.ID, "staff", "enabled", now)
		exec("INSERT INTO service_rates (id, agency_id, service, hourly_rate_cents, currency, position) VALUES (?, ?, ?, ?, ?, ?)",
			store.NewID(), a, "Design "+key, int64(12000), "EUR", 1)
		exec("INSERT INTO brandings (agency_id, platform_name, primary_color, logo, logo_hash, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
			a, "Brand "+key, "#112233", []byte("\x89PNG\r\n\x1a\n logo of "+key), "lh-"+key, now)
	}
	exec("INSERT INTO operators (id, email, password_hash, created_at) VALUES (?, ?, ?, ?)", store.NewID(), "ops@example.com", "$argon2id$op", now)
	exec("INSERT INTO recovery_codes (id, agency_id, subject_kind, subject_id, code_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)",
		store.NewID(), nil, "operator", "op", "code-op", now)
	exec("INSERT INTO cert_data (key, value, modified) VALUES (?, ?, ?)", "certificates/x/app.a1.example.crt", []byte("PEM"), now)
	exec("INSERT INTO cert_locks (key, owner, expires_at) VALUES (?, ?, ?)", "issue_cert_app.a1.example", "instance-1", now)
	return f
}

// dump returns every row of every table (migrator bookkeeping aside), each
// row as sorted JSON, rows sorted: two databases with the same dump hold the
// same data, whichever kind each is.
func dump(t *testing.T, db bun.IDB) map[string][]string {
	t.Helper()
	return dumpWhere(t, db, func(string) (string, []any) { return "", nil })
}

// dumpWhere is dump with a filter per table.
func dumpWhere(t *testing.T, db bun.IDB, where func(table string) (string, []any)) map[string][]string {
	t.Helper()
	ctx := context.Background()
	names, err := tableNames(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, n := range names {
		if bookkeeping[n] {
			continue
		}
		cols, err := columns(ctx, db, n)
		if err != nil {
			t.Fatal(err)
		}
		w, args := where(n)
		rows := []string{}
		err = scanRows(ctx, db, n, cols, w, args, func(r Row) error {
			b, err := json.Marshal(r)
			rows = append(rows, string(b))
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(rows)
		out[n] = rows
	}
	return out
}

// diff reports the tables whose rows differ.
func diff(t *testing.T, what string, want, got map[string][]string) {
	t.Helper()
	for n, rows := range want {
		if !slices.Equal(rows, got[n]) {
			t.Errorf("%s: table %s differs:\nwant %d rows %.600v\ngot  %d rows %.600v", what, n, len(rows), rows, len(got[n]), got[n])
		}
	}
	for n := range got {
		if _, ok := want[n]; !ok {
			t.Errorf("%s: table %s is extra", what, n)
		}
	}
}

// emptySQLite returns a SQLite URL where no database exists yet, and the database opened on it.
func emptySQLite(t *testing.T) (string, *bun.DB) {
	t.Helper()
	u := "sqlite://" + t.TempDir() + "/restored.db"
	db, err := store.Open(u)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return u, db
}

// emptyPostgresDatabase creates a database of its own on the test server
// (dropped at the end) and returns its URL with the given search_path, and the
// database opened on it. It skips without WORKRATE_TEST_DATABASE_URL.
func emptyPostgresDatabase(t *testing.T, schema string) (string, *bun.DB) {
	t.Helper()
	base := os.Getenv(testdb.EnvURL)
	if base == "" {
		t.Skipf("%s is unset: PostgreSQL restore skipped", testdb.EnvURL)
	}
	admin, err := store.Open(base)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "wr_restore_" + hex.EncodeToString(b)
	ctx := context.Background()
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("create database: %v", err)
	}
	t.Cleanup(func() {
		_, _ = admin.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	raw := u.String()
	if schema != "" {
		if raw, err = testdb.WithSearchPath(raw, schema); err != nil {
			t.Fatal(err)
		}
	}
	db, err := store.Open(raw)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return raw, db
}

// searchPath returns the schema a test database URL selects.
func searchPath(t *testing.T, raw string) string {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u.Query().Get("search_path")
}
