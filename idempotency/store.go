// Package idempotency makes API writes safe to retry: a POST, PUT or PATCH
// sent with an Idempotency-Key header runs once, and a retry with the same key
// and body gets the stored answer (the IETF httpapi draft's semantics).
package idempotency

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"workrate/store"
)

// Kept is how long an answer is replayed after the first request.
const Kept = 24 * time.Hour

// lease is how long a request in progress holds its key; a process that died
// mid-request frees it when the lease ends.
const lease = time.Minute

// entry is one row of idempotency_keys.
type entry struct {
	bun.BaseModel `bun:"table:idempotency_keys"`

	Owner       string    `bun:"owner,pk"`
	Key         string    `bun:"idem_key,pk"`
	Fingerprint string    `bun:"fingerprint"`
	Status      int       `bun:"status"`
	Headers     string    `bun:"headers"`
	Body        []byte    `bun:"body"`
	LockedUntil time.Time `bun:"locked_until"`
	CreatedAt   time.Time `bun:"created_at"`
	ExpiresAt   time.Time `bun:"expires_at"`
}

// Store keeps the answers.
type Store struct {
	db bun.IDB
}

// NewStore returns the store on db.
func NewStore(db bun.IDB) *Store { return &Store{db: db} }

// claim takes the key for a new request: ok when this request may run; else
// the entry already there (another body, in progress, or a stored answer).
func (s *Store) claim(ctx context.Context, owner, key, fingerprint string) (entry, bool, error) {
	now := store.Now()
	e := entry{Owner: owner, Key: key, Fingerprint: fingerprint, LockedUntil: now.Add(lease), CreatedAt: now, ExpiresAt: now.Add(Kept)}
	res, err := s.db.NewInsert().Model(&e).On("CONFLICT (owner, idem_key) DO NOTHING").Exec(ctx)
	if err != nil {
		return entry{}, false, fmt.Errorf("idempotency: claim: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return e, true, nil
	}
	var old entry
	err = s.db.NewSelect().Model(&old).Where("owner = ? AND idem_key = ?", owner, key).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return s.claim(ctx, owner, key, fingerprint) // swept in between
	}
	if err != nil {
		return entry{}, false, fmt.Errorf("idempotency: read: %w", err)
	}
	// An expired answer, or a request whose process died, frees the key: take
	// it over if no one else did first.
	expired := !old.ExpiresAt.After(now)
	if expired || (old.Status == 0 && !old.LockedUntil.After(now)) {
		res, err := s.db.NewUpdate().Model(&e).
			Column("fingerprint", "status", "headers", "body", "locked_until", "created_at", "expires_at").
			Where("owner = ? AND idem_key = ? AND status = ? AND locked_until = ? AND expires_at = ?", owner, key, old.Status, old.LockedUntil, old.ExpiresAt).
			Exec(ctx)
		if err != nil {
			return entry{}, false, fmt.Errorf("idempotency: take over: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 1 {
			return e, true, nil
		}
		return s.claim(ctx, owner, key, fingerprint)
	}
	return old, false, nil
}

// complete stores the answer of the request that holds the key.
func (s *Store) complete(ctx context.Context, owner, key string, status int, headers string, body []byte) error {
	_, err := s.db.NewUpdate().Table("idempotency_keys").
		Set("status = ?", status).Set("headers = ?", headers).Set("body = ?", body).
		Where("owner = ? AND idem_key = ? AND status = 0", owner, key).Exec(ctx)
	if err != nil {
		return fmt.Errorf("idempotency: store answer: %w", err)
	}
	return nil
}

// release frees the key of a request whose answer is not worth keeping (a
// server error, a refused key): the retry runs again.
func (s *Store) release(ctx context.Context, owner, key string) error {
	_, err := s.db.NewDelete().Table("idempotency_keys").Where("owner = ? AND idem_key = ? AND status = 0", owner, key).Exec(ctx)
	if err != nil {
		return fmt.Errorf("idempotency: release: %w", err)
	}
	return nil
}

// Sweep deletes the answers older than Kept and returns how many.
func Sweep(ctx context.Context, db bun.IDB) (int64, error) {
	res, err := db.NewDelete().Table("idempotency_keys").Where("expires_at < ?", store.Now()).Exec(ctx)
	if err != nil {
		return 0, fmt.Errorf("idempotency: sweep: %w", err)
	}
	return res.RowsAffected()
}
