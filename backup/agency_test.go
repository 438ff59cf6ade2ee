package backup

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"workrate/migrations/testdb"
)

// agencyRows dumps the rows of every table that belong to agencyID.
func agencyRows(t *testing.T, db bun.IDB, agencyID string) map[string][]string {
	t.Helper()
	d := dumpWhere(t, db, func(table string) (string, []any) {
		if tb, ok := lookup(table); ok && tb.scope == perAgency {
			return quote(agencyColumn(table)) + " = ?", []any{agencyID}
		}
		return "1 = 0", nil
	})
	for n, rows := range d {
		if len(rows) == 0 {
			delete(d, n)
		}
	}
	return d
}

// nonEmpty drops the tables without rows from a dump.
func nonEmpty(d map[string][]string) map[string][]string {
	for n, rows := range d {
		if len(rows) == 0 {
			delete(d, n)
		}
	}
	return d
}

func export(t *testing.T, db *bun.DB, slug string) []byte {
	t.Helper()
	var buf bytes.Buffer
	if _, err := Export(context.Background(), db, slug, &buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestAgencyExportImportRoundTrip(t *testing.T) {
	ctx := context.Background()
	src := testdb.SQLite(t)
	f := world(t, src.DB)
	want := agencyRows(t, src.DB, f.A.ID)
	for _, table := range tables {
		if table.scope == perAgency && len(want[table.name]) == 0 {
			t.Fatalf("the world leaves %s empty for agency A: the round trip would not test it", table.name)
		}
	}
	archive := export(t, src.DB, "agency-a")

	// Nothing of agency B is in the archive.
	zr, err := gzip.NewReader(bytes.NewReader(archive))
	if err != nil {
		t.Fatal(err)
	}
	text, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	for _, leak := range []string{f.B.ID, "MARK-B", "agency-b", f.B1.ID, "b1.example"} {
		if strings.Contains(string(text), leak) {
			t.Fatalf("the archive of agency A holds %q of agency B", leak)
		}
	}

	// SQLite -> each database -> SQLite.
	for _, dst := range testdb.Each(t) {
		t.Run("sqlite to "+dst.Name+" and back", func(t *testing.T) {
			moved, err := Import(ctx, dst.DB, bytes.NewReader(archive))
			if err != nil {
				t.Fatal(err)
			}
			if moved.Agency.ID != f.A.ID || moved.Tables["tasks"] != 2 {
				t.Fatalf("import said %+v", moved)
			}
			diff(t, "imported into "+dst.Name, want, nonEmpty(dump(t, dst.DB)))

			back := testdb.SQLite(t)
			if _, err := Import(ctx, back.DB, bytes.NewReader(export(t, dst.DB, "agency-a"))); err != nil {
				t.Fatal(err)
			}
			diff(t, "back in sqlite", want, nonEmpty(dump(t, back.DB)))

			// Importing it again is refused, and so is another agency with its slug.
			if _, err := Import(ctx, dst.DB, bytes.NewReader(archive)); !errors.Is(err, ErrAgencyExists) {
				t.Fatalf("second import: %v, want ErrAgencyExists", err)
			}
		})
	}
}

func TestAgencyImportLeavesOthersUntouched(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			ctx := context.Background()
			f := world(t, db.DB)
			wantA := agencyRows(t, db.DB, f.A.ID)
			wantB := agencyRows(t, db.DB, f.B.ID)
			platformRows := dumpWhere(t, db.DB, func(table string) (string, []any) {
				if tb, ok := lookup(table); ok && tb.scope == perAgency {
					return quote(agencyColumn(table)) + " IS NULL", nil
				}
				return "", nil
			})
			archive := export(t, db.DB, "agency-a")

			// Agency A is lost (every row of it deleted), then restored from its archive.
			for i := len(tables) - 1; i >= 0; i-- {
				if tables[i].scope == perAgency {
					if _, err := db.ExecContext(ctx, "DELETE FROM "+quote(tables[i].name)+" WHERE "+quote(agencyColumn(tables[i].name))+" = ?", f.A.ID); err != nil {
						t.Fatal(err)
					}
				}
			}
			if len(agencyRows(t, db.DB, f.A.ID)) != 0 {
				t.Fatal("agency A still has rows")
			}
			if _, err := Import(ctx, db.DB, bytes.NewReader(archive)); err != nil {
				t.Fatal(err)
			}
			diff(t, "agency A", wantA, agencyRows(t, db.DB, f.A.ID))
			diff(t, "agency B", wantB, agencyRows(t, db.DB, f.B.ID))
			diff(t, "platform rows", platformRows, dumpWhere(t, db.DB, func(table string) (string, []any) {
				if tb, ok := lookup(table); ok && tb.scope == perAgency {
					return quote(agencyColumn(table)) + " IS NULL", nil
				}
				return "", nil
			}))
		})
	}
}

func TestAgencyImportRefusals(t *testing.T) {
	ctx := context.Background()
	src := testdb.SQLite(t)
	world(t, src.DB)
	archive := export(t, src.DB, "agency-a")

	t.Run("truncated", func(t *testing.T) {
		zr, _ := gzip.NewReader(bytes.NewReader(archive))
		text, _ := io.ReadAll(zr)
		lines := strings.SplitAfter(string(text), "\n")
		var cut bytes.Buffer
		zw := gzip.NewWriter(&cut)
		_, _ = zw.Write([]byte(strings.Join(lines[:len(lines)-3], "")))
		_ = zw.Close()
		dst := testdb.SQLite(t)
		if _, err := Import(ctx, dst.DB, &cut); err == nil || !strings.Contains(err.Error(), "truncated") {
			t.Fatalf("truncated archive: %v", err)
		}
		if n := len(nonEmpty(dump(t, dst.DB))); n != 0 {
			t.Fatalf("a refused import left rows in %d tables", n)
		}
	})
	t.Run("slug taken by another agency", func(t *testing.T) {
		dst := testdb.SQLite(t)
		if _, err := dst.ExecContext(ctx, "INSERT INTO agencies (id, slug, name, created_at, updated_at) VALUES ('other', 'agency-a', 'Other', '2026-01-01 00:00:00+00:00', '2026-01-01 00:00:00+00:00')"); err != nil {
			t.Fatal(err)
		}
		if _, err := Import(ctx, dst.DB, bytes.NewReader(archive)); !errors.Is(err, ErrAgencyExists) {
			t.Fatalf("slug taken: %v", err)
		}
	})
	t.Run("hostname held by another agency", func(t *testing.T) {
		dst := testdb.SQLite(t)
		for _, q := range []string{
			"INSERT INTO agencies (id, slug, name, created_at, updated_at) VALUES ('other', 'other', 'Other', '2026-01-01 00:00:00+00:00', '2026-01-01 00:00:00+00:00')",
			"INSERT INTO domains (id, agency_id, hostname, verification_token, created_at, updated_at) VALUES ('d', 'other', 'app.a1.example', 't', '2026-01-01 00:00:00+00:00', '2026-01-01 00:00:00+00:00')",
		} {
			if _, err := dst.ExecContext(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := Import(ctx, dst.DB, bytes.NewReader(archive)); err == nil || !strings.Contains(err.Error(), "collides") {
			t.Fatalf("hostname collision: %v", err)
		}
		var n int
		if err := dst.NewRaw("SELECT count(*) FROM agencies").Scan(ctx, &n); err != nil || n != 1 {
			t.Fatalf("agencies after a failed import: %d (%v), want only the other one", n, err)
		}
	})
	t.Run("unknown slug", func(t *testing.T) {
		if _, err := Export(ctx, src.DB, "nobody", io.Discard); err == nil || !strings.Contains(err.Error(), "no agency") {
			t.Fatalf("export of an unknown slug: %v", err)
		}
	})
}
