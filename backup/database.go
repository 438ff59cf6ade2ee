package backup

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/sqlitedialect"
	"github.com/uptrace/bun/driver/sqliteshim"

	"workrate/migrations"
	"workrate/store"
)

// The files of a backup directory.
const (
	ManifestFile  = "manifest.json"   // written last: a backup without it is incomplete
	SQLiteFile    = "database.sqlite" // SQLite: a consistent copy made with VACUUM INTO
	PgDumpFile    = "database.pgdump" // PostgreSQL: pg_dump's custom format
	SecretKeyFile = "secret.key"      // the key that seals two-factor secrets, when it lives in a file
)

// backupFormat names the manifest's format.
const backupFormat = "workrate-backup"

// Manifest describes a backup directory.
type Manifest struct {
	Format    string    `json:"format"`
	Version   int       `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	Database  string    `json:"database"`  // "sqlite" or "postgres"
	File      string    `json:"file"`      // the database's file in the directory
	Migration string    `json:"migration"` // the newest applied schema migration
	SecretKey string    `json:"secret_key,omitempty"`
	Certs     string    `json:"certs,omitempty"` // SQLite: the certificates directory
	Note      string    `json:"note,omitempty"`
	Tables    Counts    `json:"tables,omitempty"` // rows per table (SQLite backups)
}

// Source is the database to back up or restore into.
type Source struct {
	DB  *bun.DB
	URL string // WORKRATE_DATABASE_URL: sqlite://PATH or postgres://…
	// SecretKeyEnv reports whether WORKRATE_SECRET_KEY is set: the key then
	// lives in the environment, not in a file, and must be kept by the operator.
	SecretKeyEnv bool
}

// SQLitePath returns the file of a sqlite:// URL, "" for PostgreSQL or memory.
func SQLitePath(databaseURL string) string {
	if !strings.HasPrefix(databaseURL, "sqlite:") {
		return ""
	}
	p := strings.TrimPrefix(strings.TrimPrefix(databaseURL, "sqlite:"), "//")
	if p == ":memory:" || strings.HasPrefix(p, "file::memory:") {
		return ""
	}
	return p
}

// SecretKeyPath returns where the generated secret key lives for a SQLite
// database (next to it), "" for PostgreSQL.
func SecretKeyPath(databaseURL string) string {
	if p := SQLitePath(databaseURL); p != "" {
		return filepath.Join(filepath.Dir(p), SecretKeyFile)
	}
	return ""
}

// Backup writes an online, consistent copy of the database into dir (new or
// empty): SQLite with VACUUM INTO (one read transaction: writers go on),
// PostgreSQL with pg_dump (one snapshot), checked to read back. The secret
// key file is copied beside it; the manifest is written last.
func Backup(ctx context.Context, src Source, dir string) (Manifest, error) {
	if err := emptyDir(dir); err != nil {
		return Manifest{}, err
	}
	migration, err := lastMigration(ctx, src.DB)
	if err != nil {
		return Manifest{}, err
	}
	m := Manifest{Format: backupFormat, Version: 1, CreatedAt: store.Now(), Migration: migration}
	if store.IsPostgres(src.DB) {
		m.Database, m.File = "postgres", PgDumpFile
		if _, err := exec.LookPath("pg_dump"); err != nil {
			// No client tools (the container image has none): a snapshot copied
			// row by row into a SQLite file, which restores into either database.
			m.File = SQLiteFile
			m.Note = "pg_dump is not on PATH: this is a row-by-row snapshot in SQLite form; for production use pg_dump and point-in-time recovery"
			if m.Tables, err = snapshot(ctx, src.DB, migration, filepath.Join(dir, SQLiteFile)); err != nil {
				return Manifest{}, err
			}
		} else if err := pgDump(ctx, src.URL, filepath.Join(dir, PgDumpFile)); err != nil {
			return Manifest{}, err
		}
		if err := os.Chmod(filepath.Join(dir, m.File), 0o600); err != nil {
			return Manifest{}, fmt.Errorf("backup: %w", err)
		}
	} else {
		m.Database, m.File = "sqlite", SQLiteFile
		path := filepath.Join(dir, SQLiteFile)
		if _, err := src.DB.ExecContext(ctx, "VACUUM INTO ?", path); err != nil {
			return Manifest{}, fmt.Errorf("backup: copy the database: %w", err)
		}
		// The copy holds password hashes: readable by its owner only.
		if err := os.Chmod(path, 0o600); err != nil {
			return Manifest{}, fmt.Errorf("backup: %w", err)
		}
		copyDB, err := openReadOnly(path)
		if err != nil {
			return Manifest{}, err
		}
		m.Tables, err = checkCopy(ctx, copyDB)
		copyDB.Close()
		if err != nil {
			return Manifest{}, err
		}
	}
	if certDir := certsDirOf(src.URL); certDir != "" {
		found, err := copyTree(certDir, filepath.Join(dir, CertsDir))
		if err != nil {
			return Manifest{}, err
		}
		if found {
			m.Certs = CertsDir
		}
	}
	switch key := SecretKeyPath(src.URL); {
	case src.SecretKeyEnv:
		m.Note = join(m.Note, "WORKRATE_SECRET_KEY is set: it is not in this backup; keep it with the backup, two-factor secrets cannot be read without it")
	case key != "":
		b, err := os.ReadFile(key)
		if errors.Is(err, fs.ErrNotExist) {
			m.Note = "no secret.key beside the database: no two-factor secret was ever sealed"
			break
		}
		if err != nil {
			return Manifest{}, fmt.Errorf("backup: read the secret key: %w", err)
		}
		if err := writeFileAtomic(filepath.Join(dir, SecretKeyFile), b); err != nil {
			return Manifest{}, err
		}
		m.SecretKey = SecretKeyFile
	default:
		m.Note = join(m.Note, "WORKRATE_SECRET_KEY is not set: two-factor sign-in was unavailable, there is no key to keep")
	}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return Manifest{}, fmt.Errorf("backup: manifest: %w", err)
	}
	if err := writeFileAtomic(filepath.Join(dir, ManifestFile), append(b, '\n')); err != nil {
		return Manifest{}, err
	}
	return m, nil
}

// checkCopy checks a SQLite copy's integrity and counts its rows.
func checkCopy(ctx context.Context, db *bun.DB) (Counts, error) {
	var result string
	if err := db.NewRaw("PRAGMA integrity_check").Scan(ctx, &result); err != nil {
		return nil, fmt.Errorf("backup: check the copy: %w", err)
	}
	if result != "ok" {
		return nil, fmt.Errorf("backup: the copy is damaged: %s", result)
	}
	return countRows(ctx, db)
}

// ReadManifest reads and checks a backup directory's manifest.
func ReadManifest(dir string) (Manifest, error) {
	b, err := os.ReadFile(filepath.Join(dir, ManifestFile))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return Manifest{}, fmt.Errorf("backup: %s has no %s: not a backup, or an incomplete one", dir, ManifestFile)
		}
		return Manifest{}, fmt.Errorf("backup: read manifest: %w", err)
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return Manifest{}, fmt.Errorf("backup: manifest: %w", err)
	}
	if m.Format != backupFormat || m.Version != 1 {
		return Manifest{}, fmt.Errorf("backup: %s is not a workrate backup (format %q, version %d)", dir, m.Format, m.Version)
	}
	return m, nil
}

// Restored says what Restore did.
type Restored struct {
	Manifest  Manifest `json:"manifest"`
	Tables    Counts   `json:"tables"`
	Applied   []string `json:"migrations_applied"`
	SecretKey string   `json:"secret_key"`
	Certs     string   `json:"certs,omitempty"`
}

// Restore loads the backup in dir into dst, which must be empty: no row in
// any table (a database that was only migrated is empty). A SQLite backup is
// copied row by row (into SQLite or PostgreSQL) at the schema it was taken
// at; a pg_dump backup is loaded with pg_restore into a PostgreSQL database
// without tables. Later migrations then run as in any upgrade.
func Restore(ctx context.Context, dir string, dst Source) (Restored, error) {
	m, err := ReadManifest(dir)
	if err != nil {
		return Restored{}, err
	}
	if err := ensureEmpty(ctx, dst.DB); err != nil {
		return Restored{}, err
	}
	r := Restored{Manifest: m}
	switch m.File {
	case SQLiteFile:
		r.Tables, err = restoreSQLite(ctx, filepath.Join(dir, m.File), m.Migration, dst.DB)
	case PgDumpFile:
		r.Tables, err = restorePgDump(ctx, filepath.Join(dir, m.File), dst)
	default:
		err = fmt.Errorf("backup: unknown database file %q in the manifest", m.File)
	}
	if err != nil {
		return Restored{}, err
	}
	if r.Applied, err = migrations.Run(ctx, dst.DB); err != nil {
		return Restored{}, fmt.Errorf("backup: migrate the restored database: %w", err)
	}
	r.SecretKey, err = restoreSecretKey(dir, m, dst)
	if err != nil {
		return Restored{}, err
	}
	if r.Certs, err = restoreCerts(dir, m, dst); err != nil {
		return Restored{}, err
	}
	return r, nil
}

// restoreSQLite copies every row of a SQLite backup into dst in one transaction.
func restoreSQLite(ctx context.Context, file, migration string, dst *bun.DB) (Counts, error) {
	src, err := openReadOnly(file)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	want, err := appliedMigrations(ctx, src)
	if err != nil {
		return nil, err
	}
	if len(want) == 0 || want[len(want)-1] != migration {
		return nil, fmt.Errorf("backup: the copy's migrations do not match its manifest (%s)", migration)
	}
	if _, err := migrations.RunUpTo(ctx, dst, migration); err != nil {
		return nil, fmt.Errorf("backup: prepare the target database: %w", err)
	}
	have, err := appliedMigrations(ctx, dst)
	if err != nil {
		return nil, err
	}
	if strings.Join(have, ",") != strings.Join(want, ",") {
		return nil, fmt.Errorf("backup: the target database is at migration %s, the backup at %s: restore into a database that was never migrated by a newer version", have[len(have)-1], migration)
	}
	var counts Counts
	err = dst.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		counts, err = copyAll(ctx, src, tx)
		return err
	})
	return counts, err
}

// restorePgDump loads a pg_dump file into a PostgreSQL database without tables.
func restorePgDump(ctx context.Context, file string, dst Source) (Counts, error) {
	if !store.IsPostgres(dst.DB) {
		return nil, errors.New("backup: a pg_dump backup restores into PostgreSQL only: set WORKRATE_DATABASE_URL to an empty PostgreSQL database")
	}
	names, err := tableNames(ctx, dst.DB)
	if err != nil {
		return nil, err
	}
	if len(names) > 0 {
		return nil, fmt.Errorf("backup: the target database has tables (%s, …): pg_restore needs a database without tables (createdb a new one)", names[0])
	}
	if err := pgRestore(ctx, dst.URL, file); err != nil {
		return nil, err
	}
	return countRows(ctx, dst.DB)
}

// restoreSecretKey puts the backup's secret key beside a SQLite target and
// says what the operator must do with it otherwise.
func restoreSecretKey(dir string, m Manifest, dst Source) (string, error) {
	if m.SecretKey == "" {
		if m.Note != "" {
			return m.Note, nil
		}
		return "the backup holds no secret key", nil
	}
	b, err := os.ReadFile(filepath.Join(dir, m.SecretKey))
	if err != nil {
		return "", fmt.Errorf("backup: read the backup's secret key: %w", err)
	}
	if dst.SecretKeyEnv || store.IsPostgres(dst.DB) {
		return "set WORKRATE_SECRET_KEY to the contents of the backup's " + m.SecretKey + " on every instance", nil
	}
	path := SecretKeyPath(dst.URL)
	if path == "" {
		return "the target database lives in memory: the secret key was not restored", nil
	}
	// The target was empty, so nothing was sealed with a key it may already have.
	if err := writeFileAtomic(path, b); err != nil {
		return "", err
	}
	return "restored to " + path, nil
}

// openReadOnly opens a SQLite file without writing to it.
func openReadOnly(path string) (*bun.DB, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	sqldb, err := sql.Open(sqliteshim.ShimName, "file:"+path+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		return nil, fmt.Errorf("backup: open %s: %w", path, err)
	}
	sqldb.SetMaxOpenConns(1)
	return bun.NewDB(sqldb, sqlitedialect.New()), nil
}

// emptyDir makes dir, or checks that it is empty.
func emptyDir(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return fmt.Errorf("backup: create %s: %w", dir, err)
		}
		return nil
	}
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if len(entries) > 0 {
		return fmt.Errorf("backup: %s is not empty: back up into a new directory", dir)
	}
	return nil
}

// writeFileAtomic writes a private file through a temporary one and a rename,
// so a crash never leaves half a file under the name.
func writeFileAtomic(path string, b []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-"+filepath.Base(path)+"-*")
	if err != nil {
		return fmt.Errorf("backup: write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("backup: write %s: %w", path, err)
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return fmt.Errorf("backup: write %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("backup: write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("backup: write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("backup: write %s: %w", path, err)
	}
	return nil
}

// restoreCerts puts the backup's certificates beside a SQLite target whose
// certificate directory is empty or missing; elsewhere they are obtained again.
func restoreCerts(dir string, m Manifest, dst Source) (string, error) {
	if m.Certs == "" {
		return "", nil
	}
	target := certsDirOf(dst.URL)
	if target == "" {
		return "not restored (PostgreSQL keeps certificates in the database): they are obtained again on demand", nil
	}
	if entries, err := os.ReadDir(target); err == nil && len(entries) > 0 {
		return "not restored: " + target + " is not empty", nil
	}
	if _, err := copyTree(filepath.Join(dir, m.Certs), target); err != nil {
		return "", err
	}
	return "restored to " + target, nil
}

// snapshot copies every row of a PostgreSQL database, read in one
// repeatable-read snapshot, into a new SQLite file at the same schema migration.
func snapshot(ctx context.Context, src *bun.DB, migration, path string) (Counts, error) {
	dst, err := store.Open("sqlite://" + path)
	if err != nil {
		return nil, err
	}
	defer dst.Close()
	if _, err := migrations.RunUpTo(ctx, dst, migration); err != nil {
		return nil, fmt.Errorf("backup: prepare the snapshot: %w", err)
	}
	var counts Counts
	err = src.RunInTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}, func(ctx context.Context, tx bun.Tx) error {
		return dst.RunInTx(ctx, nil, func(ctx context.Context, dtx bun.Tx) error {
			counts, err = copyAll(ctx, tx, dtx)
			return err
		})
	})
	if err != nil {
		return nil, err
	}
	// One self-contained file: fold the write-ahead log back in.
	if _, err := dst.ExecContext(ctx, "PRAGMA journal_mode=DELETE"); err != nil {
		return nil, fmt.Errorf("backup: finish the snapshot: %w", err)
	}
	return counts, nil
}

// join joins two notes.
func join(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}
