// Package formtoken makes HTML forms safe to submit twice: each form carries
// a one-time token (the hidden input "form_token"); the first submission runs
// and its redirect is kept, a second one with the same token gets that
// redirect without running the handler again.
package formtoken

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"workrate/store"
)

// Kept is how long a submission's redirect is remembered.
const Kept = 24 * time.Hour

// lease is how long a submission in progress holds its token; a process that
// died mid-request frees it when the lease ends.
const lease = time.Minute

// use is one row of form_tokens.
type use struct {
	bun.BaseModel `bun:"table:form_tokens"`

	Hash        string    `bun:"token_hash,pk"`
	Status      int       `bun:"status"`
	Location    string    `bun:"location"`
	LockedUntil time.Time `bun:"locked_until"`
	ExpiresAt   time.Time `bun:"expires_at"`
}

// Store keeps the tokens' uses.
type Store struct {
	db bun.IDB
}

// NewStore returns the store on db.
func NewStore(db bun.IDB) *Store { return &Store{db: db} }

// claim takes a token for a submission: ok when it may run; else the use
// already there (in progress, or finished with its redirect).
func (s *Store) claim(ctx context.Context, hash string) (use, bool, error) {
	now := store.Now()
	u := use{Hash: hash, LockedUntil: now.Add(lease), ExpiresAt: now.Add(Kept)}
	res, err := s.db.NewInsert().Model(&u).On("CONFLICT (token_hash) DO NOTHING").Exec(ctx)
	if err != nil {
		return use{}, false, fmt.Errorf("formtoken: claim: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return u, true, nil
	}
	old, err := s.get(ctx, hash)
	if errors.Is(err, sql.ErrNoRows) {
		return s.claim(ctx, hash) // swept in between
	}
	if err != nil {
		return use{}, false, err
	}
	if !old.ExpiresAt.After(now) || (old.Status == 0 && !old.LockedUntil.After(now)) {
		res, err := s.db.NewUpdate().Model(&u).Column("status", "location", "locked_until", "expires_at").
			Where("token_hash = ? AND status = ? AND locked_until = ? AND expires_at = ?", hash, old.Status, old.LockedUntil, old.ExpiresAt).
			Exec(ctx)
		if err != nil {
			return use{}, false, fmt.Errorf("formtoken: take over: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 1 {
			return u, true, nil
		}
		return s.claim(ctx, hash)
	}
	return old, false, nil
}

// get reads a token's use.
func (s *Store) get(ctx context.Context, hash string) (use, error) {
	var u use
	if err := s.db.NewSelect().Model(&u).Where("token_hash = ?", hash).Scan(ctx); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return use{}, err
		}
		return use{}, fmt.Errorf("formtoken: read: %w", err)
	}
	return u, nil
}

// complete keeps the redirect a submission answered.
func (s *Store) complete(ctx context.Context, hash string, status int, location string) error {
	_, err := s.db.NewUpdate().Table("form_tokens").Set("status = ?", status).Set("location = ?", location).
		Where("token_hash = ? AND status = 0", hash).Exec(ctx)
	if err != nil {
		return fmt.Errorf("formtoken: keep the answer: %w", err)
	}
	return nil
}

// release frees a token whose submission did not end in a redirect (a form
// shown again with its errors, a server error): the next submission runs.
func (s *Store) release(ctx context.Context, hash string) error {
	if _, err := s.db.NewDelete().Table("form_tokens").Where("token_hash = ? AND status = 0", hash).Exec(ctx); err != nil {
		return fmt.Errorf("formtoken: release: %w", err)
	}
	return nil
}

// Sweep deletes the uses older than Kept and returns how many.
func Sweep(ctx context.Context, db bun.IDB) (int64, error) {
	res, err := db.NewDelete().Table("form_tokens").Where("expires_at < ?", store.Now()).Exec(ctx)
	if err != nil {
		return 0, fmt.Errorf("formtoken: sweep: %w", err)
	}
	return res.RowsAffected()
}
