package backup

import (
	"context"
	"fmt"
	"strings"

	"github.com/uptrace/bun"

	"workrate/store"
)

// kind is how a column's values are carried between the two databases.
type kind int

const (
	kindText kind = iota
	kindInt
	kindBool
	kindTime
	kindBytes
)

// column is one column of a table as the database declares it.
type column struct {
	name string
	kind kind
}

// kindOf maps a declared type of either database to its kind.
func kindOf(declared string) kind {
	d := strings.ToUpper(declared)
	switch {
	case strings.Contains(d, "BOOL"):
		return kindBool
	case strings.Contains(d, "INT"):
		return kindInt
	case strings.Contains(d, "TIMESTAMP"), strings.Contains(d, "DATE"), strings.Contains(d, "TIME"):
		return kindTime
	case strings.Contains(d, "BYTEA"), strings.Contains(d, "BLOB"):
		return kindBytes
	default:
		return kindText
	}
}

// tableNames returns the tables of the database (PostgreSQL: of the current schema).
func tableNames(ctx context.Context, db bun.IDB) ([]string, error) {
	var names []string
	var err error
	if store.IsPostgres(db) {
		err = db.NewRaw("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name").Scan(ctx, &names)
	} else {
		err = db.NewRaw("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").Scan(ctx, &names)
	}
	if err != nil {
		return nil, fmt.Errorf("backup: list tables: %w", err)
	}
	return names, nil
}

// columns returns a table's columns in their declared order.
func columns(ctx context.Context, db bun.IDB, table string) ([]column, error) {
	var cols []column
	if store.IsPostgres(db) {
		var rows []struct {
			Name     string `bun:"column_name"`
			DataType string `bun:"data_type"`
		}
		if err := db.NewRaw("SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position", table).Scan(ctx, &rows); err != nil {
			return nil, fmt.Errorf("backup: columns of %s: %w", table, err)
		}
		for _, r := range rows {
			cols = append(cols, column{r.Name, kindOf(r.DataType)})
		}
	} else {
		var rows []struct {
			Name string `bun:"name"`
			Type string `bun:"type"`
		}
		if err := db.NewRaw("SELECT name, type FROM pragma_table_info(?) ORDER BY cid", table).Scan(ctx, &rows); err != nil {
			return nil, fmt.Errorf("backup: columns of %s: %w", table, err)
		}
		for _, r := range rows {
			cols = append(cols, column{r.Name, kindOf(r.Type)})
		}
	}
	if len(cols) == 0 {
		return nil, fmt.Errorf("backup: table %s does not exist", table)
	}
	return cols, nil
}

// lastMigration returns the name of the newest applied migration, "" when none.
func lastMigration(ctx context.Context, db bun.IDB) (string, error) {
	names, err := appliedMigrations(ctx, db)
	if err != nil || len(names) == 0 {
		return "", err
	}
	return names[len(names)-1], nil
}

// appliedMigrations returns the applied migrations' names, oldest first; none
// when the database was never migrated.
func appliedMigrations(ctx context.Context, db bun.IDB) ([]string, error) {
	all, err := tableNames(ctx, db)
	if err != nil {
		return nil, err
	}
	found := false
	for _, n := range all {
		found = found || n == "bun_migrations"
	}
	if !found {
		return nil, nil
	}
	var names []string
	if err := db.NewRaw("SELECT name FROM bun_migrations ORDER BY name").Scan(ctx, &names); err != nil {
		return nil, fmt.Errorf("backup: applied migrations: %w", err)
	}
	return names, nil
}
