package backup

import (
	"context"
	"fmt"
	"slices"

	"github.com/uptrace/bun"
)

// Counts is how many rows each table holds in a copy.
type Counts map[string]int

// checkListed fails when the database has a table this package does not know:
// copying it silently would lose it.
func checkListed(ctx context.Context, db bun.IDB) ([]string, error) {
	names, err := tableNames(ctx, db)
	if err != nil {
		return nil, err
	}
	var present []string
	for _, n := range names {
		if bookkeeping[n] {
			continue
		}
		if _, ok := lookup(n); !ok {
			return nil, fmt.Errorf("backup: table %s is not known to this version of workrate", n)
		}
		present = append(present, n)
	}
	return present, nil
}

// copyAll copies every row of every table from src into dst (in one
// transaction of the caller's), parents first.
func copyAll(ctx context.Context, src, dst bun.IDB) (Counts, error) {
	present, err := checkListed(ctx, src)
	if err != nil {
		return nil, err
	}
	counts := Counts{}
	for _, t := range tables {
		if !slices.Contains(present, t.name) {
			continue
		}
		srcCols, err := columns(ctx, src, t.name)
		if err != nil {
			return nil, err
		}
		dstCols, err := columns(ctx, dst, t.name)
		if err != nil {
			return nil, err
		}
		if err := sameColumns(t.name, srcCols, dstCols); err != nil {
			return nil, err
		}
		in := &inserter{db: dst, table: t.name, cols: dstCols}
		if err := scanRows(ctx, src, t.name, srcCols, "", nil, func(r Row) error { return in.add(ctx, r) }); err != nil {
			return nil, err
		}
		if err := in.flush(ctx); err != nil {
			return nil, err
		}
		counts[t.name] = in.count
	}
	if err := restoreDataVersions(ctx, src, dst, "", nil); err != nil {
		return nil, err
	}
	return counts, nil
}

// sameColumns checks that a source table's columns all exist at the destination.
func sameColumns(table string, src, dst []column) error {
	for _, c := range src {
		if !slices.ContainsFunc(dst, func(d column) bool { return d.name == c.name }) {
			return fmt.Errorf("backup: column %s.%s does not exist in the destination database (is it an older version?)", table, c.name)
		}
	}
	return nil
}

// restoreDataVersions sets the copied workspaces' data_version back to the
// source's: inserting their tasks, tickets, … moved it on through triggers.
func restoreDataVersions(ctx context.Context, src, dst bun.IDB, where string, args []any) error {
	cols, err := columns(ctx, src, "workspaces")
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(cols, func(c column) bool { return c.name == "data_version" }) {
		return nil
	}
	pick := []column{{"id", kindText}, {"data_version", kindInt}}
	return scanRows(ctx, src, "workspaces", pick, where, args, func(r Row) error {
		return setDataVersion(ctx, dst, r["id"], r["data_version"])
	})
}

// setDataVersion writes one workspace's data_version.
func setDataVersion(ctx context.Context, dst bun.IDB, id, version any) error {
	if _, err := dst.ExecContext(ctx, "UPDATE workspaces SET data_version = ? WHERE id = ?", version, id); err != nil {
		return fmt.Errorf("backup: workspace data version: %w", err)
	}
	return nil
}

// countRows returns how many rows each listed table of db holds.
func countRows(ctx context.Context, db bun.IDB) (Counts, error) {
	present, err := tableNames(ctx, db)
	if err != nil {
		return nil, err
	}
	counts := Counts{}
	for _, n := range present {
		if bookkeeping[n] {
			continue
		}
		var c int
		if err := db.NewRaw("SELECT count(*) FROM "+quote(n)).Scan(ctx, &c); err != nil {
			return nil, fmt.Errorf("backup: count %s: %w", n, err)
		}
		counts[n] = c
	}
	return counts, nil
}

// ensureEmpty refuses a database that holds any row of the product.
func ensureEmpty(ctx context.Context, db bun.IDB) error {
	counts, err := countRows(ctx, db)
	if err != nil {
		return err
	}
	for _, t := range tables {
		if n := counts[t.name]; n > 0 {
			return fmt.Errorf("backup: the target database is not empty (table %s has %d rows): restore into an empty database", t.name, n)
		}
	}
	for name, n := range counts {
		if n > 0 {
			return fmt.Errorf("backup: the target database is not empty (table %s has %d rows): restore into an empty database", name, n)
		}
	}
	return nil
}
