package workspace

import (
	"context"
	"errors"
	"fmt"

	"github.com/uptrace/bun"

	"workrate/field"
	"workrate/store"
)

// Store reads and writes workspace data, always within a Scope.
type Store struct {
	db bun.IDB
}

// NewStore returns a Store on db (a *bun.DB or a transaction).
func NewStore(db bun.IDB) *Store { return &Store{db: db} }

// DB returns the store's database handle (for transactions spanning stores).
func (s *Store) DB() bun.IDB { return s.db }

// inTx runs f in one transaction: every multi-row change is all or nothing.
func (s *Store) inTx(ctx context.Context, f func(ctx context.Context, tx bun.Tx) error) error {
	return s.db.RunInTx(ctx, nil, f)
}

// ensureWorkspace checks, inside a write, that the scope's workspace belongs
// to the scope's agency, so that no row is ever written under a mismatched
// pair of ids.
func ensureWorkspace(ctx context.Context, db bun.IDB, sc Scope) error {
	n, err := db.NewSelect().Table("workspaces").Where("agency_id = ? AND id = ?", sc.AgencyID, sc.WorkspaceID).Count(ctx)
	if err != nil {
		return fmt.Errorf("workspace %s: %w", sc.WorkspaceID, store.Translate(err))
	}
	if n == 0 {
		return fmt.Errorf("workspace %s: %w", sc.WorkspaceID, store.ErrNotFound)
	}
	return nil
}

// affected turns an update or delete that matched no row into store.ErrNotFound.
func affected(res interface{ RowsAffected() (int64, error) }) error {
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("rows affected: %w", err)
	}
	if n == 0 {
		return store.ErrNotFound
	}
	return nil
}

// wrapErr adds context to a store error, but hands a *field.Error back as it
// is, so that callers can show it next to its field.
func wrapErr(err error, format string, args ...any) error {
	var fe *field.Error
	if errors.As(err, &fe) {
		return fe
	}
	return fmt.Errorf(format+": %w", append(args, err)...)
}
