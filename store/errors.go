package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"

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

// SQLite's primary result codes that Unavailable and DiskFull recognise.
const (
	sqliteBusy      = 5
	sqliteLocked    = 6
	sqliteInterrupt = 9
	sqliteFull      = 13
)

// DiskFull reports whether err is a write refused for lack of disk space:
// SQLite's SQLITE_FULL, PostgreSQL's 53100 (disk_full), or ENOSPC. Such a
// write did not happen; requests answer 503 and /readyz turns 503.
func DiskFull(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, syscall.ENOSPC) {
		return true
	}
	var pgErr pgdriver.Error
	if errors.As(err, &pgErr) {
		return pgErr.Field('C') == "53100"
	}
	var sqliteErr interface{ Code() int }
	return errors.As(err, &sqliteErr) && sqliteErr.Code()&0xff == sqliteFull
}

// ErrUnavailable means the database could not be reached; requests answer 503.
var ErrUnavailable = errors.New("database unavailable")

// Unavailable reports whether err means the database is down or unreachable
// (refused or dropped connections, timeouts, PostgreSQL shutting down or
// starting up) or that the request ran out of time (its deadline passed, or a
// shutdown cancelled it), rather than a problem with the request.
func Unavailable(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) || DiskFull(err) {
		return true
	}
	if errors.Is(err, ErrUnavailable) || errors.Is(err, driver.ErrBadConn) || errors.Is(err, io.EOF) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, syscall.EPIPE) || errors.Is(err, sql.ErrConnDone) {
		return true
	}
	var netErr net.Error
	if errors.As(err, &netErr) {
		return true
	}
	var pgErr pgdriver.Error
	if errors.As(err, &pgErr) {
		switch pgErr.Field('C') {
		case "57P01", "57P02", "57P03", "08000", "08001", "08003", "08004", "08006",
			"57014", "55P03", "53300":
			// admin shutdown, crash shutdown, cannot connect now, connection
			// exceptions, statement cancelled, lock not available, too many connections
			return true
		}
	}
	var sqliteErr interface{ Code() int }
	if errors.As(err, &sqliteErr) {
		switch sqliteErr.Code() & 0xff { // the primary result code
		case sqliteBusy, sqliteLocked, sqliteInterrupt:
			// another connection holds the write lock past busy_timeout, or
			// the statement was interrupted when its context ended
			return true
		}
	}
	return false
}
