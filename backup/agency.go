package backup

import (
	"bufio"
	"compress/gzip"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/uptrace/bun"

	"workrate/store"
)

// archiveFormat names an agency archive's format.
const archiveFormat = "workrate-agency"

// An agency archive is a gzip'd stream of JSON lines:
//
//	{"format":"workrate-agency","version":1,"created_at":…,"database":"sqlite","migration":"…","agency":{"id":…,"slug":…,"name":…}}
//	{"table":"agencies","row":{"id":…,…}}
//	{"table":"domains","row":{…}}
//	…
//	{"end":true,"tables":{"agencies":1,"domains":2,…}}
//
// The first line describes it; then come every row of every table that
// belongs to the agency (agencies by id, the others by agency_id), tables in
// the order of their foreign keys; the last line counts them, so a truncated
// file is refused. Times are RFC 3339 in UTC, binary columns (logos, sealed
// two-factor secrets) base64, NULL is null.

// ArchiveHeader is the first line of an agency archive.
type ArchiveHeader struct {
	Format    string        `json:"format"`
	Version   int           `json:"version"`
	CreatedAt time.Time     `json:"created_at"`
	Database  string        `json:"database"`
	Migration string        `json:"migration"`
	Agency    ArchiveAgency `json:"agency"`
}

// ArchiveAgency names the agency an archive holds.
type ArchiveAgency struct {
	ID   string `json:"id"`
	Slug string `json:"slug"`
	Name string `json:"name"`
}

// archiveLine is any line after the header: a row, or the end.
type archiveLine struct {
	Table  string         `json:"table,omitempty"`
	Row    map[string]any `json:"row,omitempty"`
	End    bool           `json:"end,omitempty"`
	Tables Counts         `json:"tables,omitempty"`
}

// Moved says what Export or Import did.
type Moved struct {
	Agency ArchiveAgency `json:"agency"`
	Tables Counts        `json:"tables"`
}

// ErrAgencyExists means the importing database already has the archive's agency id or slug.
var ErrAgencyExists = errors.New("agency exists")

// Export writes every row of the agency with this slug to w as an archive,
// read in one snapshot (a read-only transaction) while the product runs on.
func Export(ctx context.Context, db *bun.DB, slug string, w io.Writer) (Moved, error) {
	opts := &sql.TxOptions{ReadOnly: true}
	if store.IsPostgres(db) {
		opts.Isolation = sql.LevelRepeatableRead
	}
	var moved Moved
	err := db.RunInTx(ctx, opts, func(ctx context.Context, tx bun.Tx) error {
		var a ArchiveAgency
		err := tx.NewRaw("SELECT id, slug, name FROM agencies WHERE slug = ?", slug).Scan(ctx, &a.ID, &a.Slug, &a.Name)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("backup: no agency with slug %q", slug)
		}
		if err != nil {
			return fmt.Errorf("backup: find agency: %w", err)
		}
		migration, err := lastMigration(ctx, tx)
		if err != nil {
			return err
		}
		present, err := checkListed(ctx, tx)
		if err != nil {
			return err
		}
		zw := gzip.NewWriter(w)
		enc := json.NewEncoder(zw)
		kind := "sqlite"
		if store.IsPostgres(tx) {
			kind = "postgres"
		}
		header := ArchiveHeader{Format: archiveFormat, Version: 1, CreatedAt: store.Now(), Database: kind, Migration: migration, Agency: a}
		if err := enc.Encode(header); err != nil {
			return fmt.Errorf("backup: write archive: %w", err)
		}
		counts := Counts{}
		for _, t := range tables {
			if t.scope != perAgency || !slices.Contains(present, t.name) {
				continue
			}
			cols, err := columns(ctx, tx, t.name)
			if err != nil {
				return err
			}
			counts[t.name] = 0
			err = scanRows(ctx, tx, t.name, cols, quote(agencyColumn(t.name))+" = ?", []any{a.ID}, func(r Row) error {
				counts[t.name]++
				return enc.Encode(archiveLine{Table: t.name, Row: r})
			})
			if err != nil {
				return err
			}
		}
		if err := enc.Encode(archiveLine{End: true, Tables: counts}); err != nil {
			return fmt.Errorf("backup: write archive: %w", err)
		}
		if err := zw.Close(); err != nil {
			return fmt.Errorf("backup: write archive: %w", err)
		}
		moved = Moved{Agency: a, Tables: counts}
		return nil
	})
	return moved, err
}

// Import loads an agency archive into db in one transaction, ids preserved.
// It refuses an archive whose agency id or slug exists here (ErrAgencyExists),
// one from a newer schema than db's, a truncated one, and any row that does
// not belong to the archive's agency; a row that collides with another
// agency's (a custom domain's hostname) fails the whole import.
func Import(ctx context.Context, db *bun.DB, r io.Reader) (Moved, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return Moved{}, fmt.Errorf("backup: not an agency archive (gzip): %w", err)
	}
	defer zr.Close()
	br := bufio.NewReaderSize(zr, 1<<20)
	dec := json.NewDecoder(br)
	dec.UseNumber()
	var h ArchiveHeader
	if err := dec.Decode(&h); err != nil {
		return Moved{}, fmt.Errorf("backup: not an agency archive: %w", err)
	}
	if h.Format != archiveFormat || h.Version != 1 || h.Agency.ID == "" {
		return Moved{}, fmt.Errorf("backup: not an agency archive (format %q, version %d)", h.Format, h.Version)
	}
	applied, err := appliedMigrations(ctx, db)
	if err != nil {
		return Moved{}, err
	}
	if !slices.Contains(applied, h.Migration) {
		return Moved{}, fmt.Errorf("backup: the archive is from schema migration %s, which this database has not applied: upgrade workrate here first", h.Migration)
	}
	moved := Moved{Agency: h.Agency, Tables: Counts{}}
	err = db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var n int
		if err := tx.NewRaw("SELECT count(*) FROM agencies WHERE id = ? OR slug = ?", h.Agency.ID, h.Agency.Slug).Scan(ctx, &n); err != nil {
			return fmt.Errorf("backup: look for the agency: %w", err)
		}
		if n > 0 {
			return fmt.Errorf("backup: agency %q (id %s) already exists in this database: %w", h.Agency.Slug, h.Agency.ID, ErrAgencyExists)
		}
		return importRows(ctx, tx, dec, h, moved.Tables)
	})
	if err != nil {
		return Moved{}, err
	}
	return moved, nil
}

// importRows inserts the archive's rows, table by table, then checks the end line.
func importRows(ctx context.Context, tx bun.Tx, dec *json.Decoder, h ArchiveHeader, counts Counts) error {
	var in *inserter
	done := map[string]bool{}
	versions := map[string]any{}
	for {
		var l archiveLine
		if err := dec.Decode(&l); err != nil {
			if errors.Is(err, io.EOF) {
				return errors.New("backup: the archive ends before its last line: truncated")
			}
			return fmt.Errorf("backup: read archive: %w", err)
		}
		if l.End {
			if in != nil {
				if err := in.flush(ctx); err != nil {
					return translate(err)
				}
			}
			for name, want := range l.Tables {
				if counts[name] != want {
					return fmt.Errorf("backup: the archive says %d rows of %s, it holds %d", want, name, counts[name])
				}
			}
			for id, v := range versions {
				if err := setDataVersion(ctx, tx, id, v); err != nil {
					return err
				}
			}
			return nil
		}
		t, ok := lookup(l.Table)
		if !ok || t.scope != perAgency {
			return fmt.Errorf("backup: the archive has rows of %q, which is not an agency's table here", l.Table)
		}
		if in == nil || in.table != t.name {
			if in != nil {
				if err := in.flush(ctx); err != nil {
					return translate(err)
				}
				done[in.table] = true
			}
			if done[t.name] {
				return fmt.Errorf("backup: the archive's rows of %s are not together", t.name)
			}
			cols, err := columns(ctx, tx, t.name)
			if err != nil {
				return err
			}
			in = &inserter{db: tx, table: t.name, cols: cols}
		}
		row := Row{}
		for name, v := range l.Row {
			i := slices.IndexFunc(in.cols, func(c column) bool { return c.name == name })
			if i < 0 {
				return fmt.Errorf("backup: column %s.%s does not exist in this database", t.name, name)
			}
			val, err := fromJSON(v, in.cols[i].kind)
			if err != nil {
				return fmt.Errorf("backup: %s.%s: %w", t.name, name, err)
			}
			row[name] = val
		}
		if row[agencyColumn(t.name)] != h.Agency.ID {
			return fmt.Errorf("backup: a row of %s belongs to another agency than the archive's", t.name)
		}
		if t.name == "workspaces" {
			if v, ok := row["data_version"]; ok {
				id, _ := row["id"].(string)
				versions[id] = v
			}
		}
		counts[t.name]++
		if err := in.add(ctx, row); err != nil {
			return translate(err)
		}
	}
}

// translate names a uniqueness collision with the data already here.
func translate(err error) error {
	if errors.Is(store.Translate(err), store.ErrConflict) {
		return fmt.Errorf("backup: a row of the archive collides with one in this database (same id, or a unique value such as a custom domain's hostname): %w", err)
	}
	return err
}
