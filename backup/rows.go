package backup

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"
)

// Row is one row: column name to value, each value one of string, int64,
// bool, time.Time (UTC), []byte or nil, whichever database it came from.
type Row map[string]any

// timeLayouts are the ways SQLite keeps a timestamp as text (bun writes the first).
var timeLayouts = []string{
	"2006-01-02 15:04:05.999999999-07:00",
	time.RFC3339Nano,
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02",
}

// canonical turns a value read from either driver into the Row form of its kind.
func canonical(v any, k kind) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch k {
	case kindText:
		switch x := v.(type) {
		case string:
			return x, nil
		case []byte:
			return string(x), nil
		}
	case kindInt:
		switch x := v.(type) {
		case int64:
			return x, nil
		case int32:
			return int64(x), nil
		case int:
			return int64(x), nil
		case bool:
			if x {
				return int64(1), nil
			}
			return int64(0), nil
		case string:
			return strconv.ParseInt(x, 10, 64)
		}
	case kindBool:
		switch x := v.(type) {
		case bool:
			return x, nil
		case int64:
			return x != 0, nil
		case string:
			return strconv.ParseBool(x)
		}
	case kindTime:
		switch x := v.(type) {
		case time.Time:
			return x.UTC().Truncate(time.Microsecond), nil
		case string:
			for _, layout := range timeLayouts {
				if t, err := time.Parse(layout, x); err == nil {
					return t.UTC().Truncate(time.Microsecond), nil
				}
			}
			return nil, fmt.Errorf("unreadable time %q", x)
		}
	case kindBytes:
		switch x := v.(type) {
		case []byte:
			return append([]byte{}, x...), nil
		case string:
			return []byte(x), nil
		}
	}
	return nil, fmt.Errorf("unexpected %T", v)
}

// fromJSON turns a value decoded from an archive (with UseNumber) into the Row
// form of its kind.
func fromJSON(v any, k kind) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch k {
	case kindInt:
		if n, ok := v.(json.Number); ok {
			return n.Int64()
		}
	case kindBool:
		if b, ok := v.(bool); ok {
			return b, nil
		}
	case kindText:
		if s, ok := v.(string); ok {
			return s, nil
		}
	case kindTime:
		if s, ok := v.(string); ok {
			t, err := time.Parse(time.RFC3339Nano, s)
			if err != nil {
				return nil, err
			}
			return t.UTC(), nil
		}
	case kindBytes:
		if s, ok := v.(string); ok {
			return base64.StdEncoding.DecodeString(s)
		}
	}
	return nil, fmt.Errorf("unexpected %T", v)
}

// quote quotes an identifier for both databases.
func quote(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// scanRows calls fn with every row of table that matches where (all rows
// when where is empty), in primary-key order.
func scanRows(ctx context.Context, db bun.IDB, table string, cols []column, where string, args []any, fn func(Row) error) error {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = quote(c.name)
	}
	q := "SELECT " + strings.Join(names, ", ") + " FROM " + quote(table)
	if where != "" {
		q += " WHERE " + where
	}
	q += " ORDER BY " + names[0]
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("backup: read %s: %w", table, err)
	}
	defer rows.Close()
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return fmt.Errorf("backup: read %s: %w", table, err)
		}
		r := make(Row, len(cols))
		for i, c := range cols {
			v, err := canonical(vals[i], c.kind)
			if err != nil {
				return fmt.Errorf("backup: %s.%s: %w", table, c.name, err)
			}
			r[c.name] = v
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("backup: read %s: %w", table, err)
	}
	return nil
}

// batchSize is how many rows one INSERT carries.
const batchSize = 200

// inserter writes rows into one table in batches.
type inserter struct {
	db    bun.IDB
	table string
	cols  []column
	rows  []Row
	count int
}

// add queues a row, writing a batch when it is full.
func (in *inserter) add(ctx context.Context, r Row) error {
	in.rows = append(in.rows, r)
	if len(in.rows) >= batchSize {
		return in.flush(ctx)
	}
	return nil
}

// flush writes the queued rows. A column the rows do not carry takes its default.
func (in *inserter) flush(ctx context.Context) error {
	if len(in.rows) == 0 {
		return nil
	}
	var names []string
	var present []column
	for _, c := range in.cols {
		if _, ok := in.rows[0][c.name]; ok {
			names = append(names, quote(c.name))
			present = append(present, c)
		}
	}
	var b strings.Builder
	args := make([]any, 0, len(in.rows)*len(present))
	b.WriteString("INSERT INTO " + quote(in.table) + " (" + strings.Join(names, ", ") + ") VALUES ")
	marks := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(present)), ", ") + ")"
	for i, r := range in.rows {
		if len(r) != len(present) {
			return fmt.Errorf("backup: rows of %s do not all carry the same columns", in.table)
		}
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(marks)
		for _, c := range present {
			v, ok := r[c.name]
			if !ok {
				return fmt.Errorf("backup: rows of %s do not all carry the same columns", in.table)
			}
			args = append(args, v)
		}
	}
	if _, err := in.db.ExecContext(ctx, b.String(), args...); err != nil {
		return fmt.Errorf("backup: write %s: %w", in.table, err)
	}
	in.count += len(in.rows)
	in.rows = in.rows[:0]
	return nil
}
