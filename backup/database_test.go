package backup

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/uptrace/bun"

	"workrate/fixture"
	"workrate/migrations"
	"workrate/migrations/testdb"
	"workrate/store"
)

func TestEveryTableIsListed(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			names, err := tableNames(context.Background(), db.DB)
			if err != nil {
				t.Fatal(err)
			}
			for _, n := range names {
				if _, ok := lookup(n); !ok && !bookkeeping[n] {
					t.Errorf("table %s (from migrations/) is not in backup.tables: add it, parents first, with its scope", n)
				}
			}
			for _, tb := range tables {
				if !slices.Contains(names, tb.name) {
					t.Errorf("backup.tables lists %s, which no migration creates", tb.name)
				}
			}
		})
	}
}

// eventID names the writer's n-th row: the order of the ids is the order of the writes.
func eventID(n int) string { return fmt.Sprintf("evt-%06d", n) }

// writer inserts portal events one after another until stopped, counting
// those the database acknowledged.
type writer struct {
	acked atomic.Int64
	warm  chan struct{} // closed after the first 20 writes (or when the writer stops early)
	stop  chan struct{}
	done  sync.WaitGroup
	err   error
}

func startWriter(db bun.IDB, agencyID, workspaceID string) *writer {
	w := &writer{stop: make(chan struct{}), warm: make(chan struct{})}
	var warmOnce sync.Once
	w.done.Add(1)
	go func() {
		defer w.done.Done()
		defer warmOnce.Do(func() { close(w.warm) })
		for n := 0; ; n++ {
			select {
			case <-w.stop:
				return
			default:
			}
			_, err := db.ExecContext(context.Background(),
				"INSERT INTO portal_events (id, agency_id, workspace_id, actor_kind, action, detail, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
				eventID(n), agencyID, workspaceID, "client", "write", fmt.Sprint(n), store.Now())
			if err != nil {
				w.err = err
				return
			}
			if w.acked.Add(1) == 20 {
				warmOnce.Do(func() { close(w.warm) })
			}
		}
	}()
	return w
}

func (w *writer) finish(t *testing.T) {
	t.Helper()
	close(w.stop)
	w.done.Wait()
	if w.err != nil {
		t.Fatalf("writer: %v", w.err)
	}
}

// splitEvents takes the writer's rows out of a dump and returns their ids.
func splitEvents(d map[string][]string) []string {
	var ids, rest []string
	for _, r := range d["portal_events"] {
		if i := strings.Index(r, `"id":"evt-`); i >= 0 {
			ids = append(ids, r[i+6:i+6+10])
			continue
		}
		rest = append(rest, r)
	}
	d["portal_events"] = rest
	slices.Sort(ids)
	return ids
}

func TestBackupWhileWritingThenRestore(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			br := &backupRun{ctx: context.Background(), db: db, f: world(t, db.DB)}
			br.writeFiles(t)
			br.backupWhileWriting(t)
			for _, tg := range br.targets(t) {
				t.Run("into "+tg.name, func(t *testing.T) { br.restoreInto(t, tg) })
			}
		})
	}
}

// testSecretKey is the secret key written beside the SQLite source database.
const testSecretKey = "0123456789abcdef0123456789abcdef\n"

// backupRun holds the world of TestBackupWhileWritingThenRestore: the source
// database, the backup taken while a writer was going, and what the source
// held when the writer stopped. Its steps run in order.
type backupRun struct {
	ctx          context.Context
	db           testdb.DB
	f            *fixture.Fixture
	keyPath      string              // the source's secret key file; empty on PostgreSQL
	dir          string              // the backup
	before       int                 // writes acknowledged before the backup began
	source       map[string][]string // the source once the writer stopped, without the writer's rows
	sourceEvents []string            // the ids of the writer's rows in the source
}

// restoreTarget is an empty database to restore the backup into.
type restoreTarget struct {
	name string
	url  string
	db   *bun.DB
}

// writeFiles puts a secret key, certificates on disk and a lock of the
// running process beside a SQLite source database.
func (br *backupRun) writeFiles(t *testing.T) {
	br.keyPath = SecretKeyPath(br.db.URL)
	if br.keyPath == "" {
		return
	}
	if err := os.WriteFile(br.keyPath, []byte(testSecretKey), 0o600); err != nil {
		t.Fatal(err)
	}
	// Certificates on disk, and a lock of the running process.
	certDir := certsDirOf(br.db.URL)
	for _, p := range []string{"certificates/acme/app.a1.example/app.a1.example.crt", "locks/issue_cert_app.a1.example.lock"} {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(certDir, p)), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(certDir, p), []byte("PEM "+p), 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// backupWhileWriting takes the backup while a writer inserts rows, checks its
// manifest, and keeps what the source holds once the writer stopped.
func (br *backupRun) backupWhileWriting(t *testing.T) {
	db := br.db
	w := startWriter(db.DB, br.f.A.ID, br.f.A1.ID)
	<-w.warm // the writer is going: the backup overlaps writes
	br.before = int(w.acked.Load())
	br.dir = filepath.Join(t.TempDir(), "backup")
	m, err := Backup(br.ctx, Source{DB: db.DB, URL: db.URL}, br.dir)
	after := int(w.acked.Load())
	w.finish(t)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("writes acknowledged: %d before the backup, %d when it returned", br.before, after)
	latest, _ := migrations.Latest()
	if m.Database != db.Name || m.Migration != latest || m.CreatedAt.IsZero() {
		t.Fatalf("manifest %+v, want database %s at migration %s", m, db.Name, latest)
	}
	br.source = dump(t, db.DB)
	br.sourceEvents = splitEvents(br.source)
}

// targets are the empty databases to restore into: from SQLite into SQLite,
// and into PostgreSQL when there is one; from PostgreSQL into PostgreSQL.
func (br *backupRun) targets(t *testing.T) []restoreTarget {
	var targets []restoreTarget
	if br.db.Name == "sqlite" {
		u, tdb := emptySQLite(t)
		targets = append(targets, restoreTarget{"sqlite", u, tdb})
		if os.Getenv(testdb.EnvURL) != "" {
			u, tdb := emptyPostgresDatabase(t, "")
			targets = append(targets, restoreTarget{"postgres", u, tdb})
		}
	} else {
		u, tdb := emptyPostgresDatabase(t, searchPath(t, br.db.URL))
		targets = append(targets, restoreTarget{"postgres", u, tdb})
	}
	return targets
}

// restoreInto restores the backup into tg: the same rows as the source, the
// writer's rows one moment of the writes, no pending migration, the files
// of a SQLite source, and a second restore refused.
func (br *backupRun) restoreInto(t *testing.T, tg restoreTarget) {
	r, err := Restore(br.ctx, br.dir, Source{DB: tg.db, URL: tg.url})
	if err != nil {
		t.Fatal(err)
	}
	got := dump(t, tg.db)
	events := splitEvents(got)
	diff(t, "restored", br.source, got)
	// The copy is one moment of the writes: every write acknowledged
	// before the backup began, then none missing up to its last.
	if len(events) < br.before || len(events) > len(br.sourceEvents) {
		t.Fatalf("restored %d of the writer's rows; %d were acknowledged before the backup, %d in all", len(events), br.before, len(br.sourceEvents))
	}
	for i, id := range events {
		if id != eventID(i) {
			t.Fatalf("restored writes have a hole: %s at position %d", id, i)
		}
	}
	pending, err := migrations.Pending(br.ctx, tg.db)
	if err != nil || len(pending) != 0 {
		t.Fatalf("restored database has pending migrations %v (%v)", pending, err)
	}
	if br.keyPath != "" && tg.name == "sqlite" {
		checkFilesRestored(t, tg, r)
	}
	// A second restore into the now full database is refused.
	if _, err := Restore(br.ctx, br.dir, Source{DB: tg.db, URL: tg.url}); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Fatalf("restore into a full database: %v, want refused as not empty", err)
	}
}

// checkFilesRestored: the secret key and the certificates came back into a
// SQLite target; the running process's locks did not.
func checkFilesRestored(t *testing.T, tg restoreTarget, r Restored) {
	t.Helper()
	b, err := os.ReadFile(SecretKeyPath(tg.url))
	if err != nil || !bytes.Equal(b, []byte(testSecretKey)) {
		t.Fatalf("secret key not restored: %q %v (%s)", b, err, r.SecretKey)
	}
	certDir := certsDirOf(tg.url)
	if b, err := os.ReadFile(filepath.Join(certDir, "certificates/acme/app.a1.example/app.a1.example.crt")); err != nil || !strings.HasPrefix(string(b), "PEM ") {
		t.Fatalf("certificate not restored: %q %v (%s)", b, err, r.Certs)
	}
	if _, err := os.Stat(filepath.Join(certDir, "locks")); err == nil {
		t.Fatal("the running process's locks were restored")
	}
}

func TestBackupRefusesAFullDirectory(t *testing.T) {
	db := testdb.SQLite(t)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "x"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Backup(context.Background(), Source{DB: db.DB, URL: db.URL}, dir); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Fatalf("backup into a full directory: %v", err)
	}
}

func TestPgDumpRestoresOnlyIntoADatabaseWithoutTables(t *testing.T) {
	pg := testdb.Postgres(t)
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "b")
	if _, err := Backup(ctx, Source{DB: pg.DB, URL: pg.URL}, dir); err != nil {
		t.Fatal(err)
	}
	migrated := testdb.Postgres(t) // migrated, no rows: pg_restore cannot load into it
	if _, err := Restore(ctx, dir, Source{DB: migrated.DB, URL: migrated.URL}); err == nil || !strings.Contains(err.Error(), "without tables") {
		t.Fatalf("pg_dump restore into a migrated database: %v", err)
	}
	sq := testdb.SQLite(t)
	if _, err := Restore(ctx, dir, Source{DB: sq.DB, URL: sq.URL}); err == nil || !strings.Contains(err.Error(), "PostgreSQL only") {
		t.Fatalf("pg_dump restore into SQLite: %v", err)
	}
}

func TestPostgresBackupWithoutPgDumpIsASnapshot(t *testing.T) {
	pg := testdb.Postgres(t)
	ctx := context.Background()
	world(t, pg.DB)
	want := dump(t, pg.DB)
	t.Setenv("PATH", "") // no client tools, as in the container image
	dir := filepath.Join(t.TempDir(), "b")
	m, err := Backup(ctx, Source{DB: pg.DB, URL: pg.URL}, dir)
	if err != nil {
		t.Fatal(err)
	}
	if m.Database != "postgres" || m.File != SQLiteFile || !strings.Contains(m.Note, "pg_dump is not on PATH") {
		t.Fatalf("manifest %+v, want a SQLite snapshot that says why", m)
	}
	if _, err := os.Stat(filepath.Join(dir, SQLiteFile+"-wal")); err == nil {
		t.Fatal("the snapshot left a write-ahead log beside it")
	}
	u, tdb := emptySQLite(t)
	if _, err := Restore(ctx, dir, Source{DB: tdb, URL: u}); err != nil {
		t.Fatal(err)
	}
	diff(t, "postgres snapshot restored into sqlite", want, dump(t, tdb))
	u, pdb := emptyPostgresDatabase(t, "")
	if _, err := Restore(ctx, dir, Source{DB: pdb, URL: u}); err != nil {
		t.Fatal(err)
	}
	diff(t, "postgres snapshot restored into postgres", want, dump(t, pdb))
}
