package store

import (
	"database/sql"
	"errors"
	"strings"

	"github.com/uptrace/bun/driver/pgdriver"
)

// ErrNotFound means the row does not exist in the caller's scope.
var ErrNotFound = errors.New("not found")

// ErrConflict means the write would break a uniqueness rule.
var ErrConflict = errors.New("conflict")

// Translate turns driver errors of both databases into the store's sentinels:
// no rows becomes ErrNotFound; a PostgreSQL 23505 or a SQLite UNIQUE or PRIMARY KEY
// constraint failure becomes ErrConflict. Other errors are returned unchanged.
func Translate(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	var pgErr pgdriver.Error
	if errors.As(err, &pgErr) {
		if pgErr.Field('C') == "23505" {
			return errors.Join(ErrConflict, err)
		}
		return err
	}
	// modernc.org/sqlite reports "constraint failed: UNIQUE constraint failed: …"
	// (extended code 2067) and PRIMARY KEY failures (1555).
	msg := err.Error()
	if strings.Contains(msg, "UNIQUE constraint failed") || strings.Contains(msg, "PRIMARY KEY constraint failed") ||
		strings.Contains(msg, "(2067)") || strings.Contains(msg, "(1555)") {
		return errors.Join(ErrConflict, err)
	}
	return err
}
