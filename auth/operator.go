package auth

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"workrate/store"
)

// Operator runs the platform: creates agencies and onboards their domains.
type Operator struct {
	bun.BaseModel `bun:"table:operators"`

	ID             string     `bun:"id,pk" json:"id"`
	Email          string     `bun:"email" json:"email"`
	PasswordHash   string     `bun:"password_hash" json:"-"`
	SessionVersion int        `bun:"session_version" json:"-"`
	Disabled       bool       `bun:"disabled" json:"disabled"`
	TOTPEnabled    bool       `bun:"totp_enabled" json:"totp_enabled"`
	LastLoginAt    *time.Time `bun:"last_login_at" json:"last_login_at,omitempty"`
	CreatedAt      time.Time  `bun:"created_at" json:"created_at"`
}

// CreateOperator adds an operator with an already hashed password.
func (s *Store) CreateOperator(ctx context.Context, email, passwordHash string) (*Operator, error) {
	email, err := NormalizeEmail(email)
	if err != nil {
		return nil, err
	}
	op := &Operator{ID: store.NewID(), Email: email, PasswordHash: passwordHash, SessionVersion: 1, CreatedAt: store.Now()}
	if _, err := s.db.NewInsert().Model(op).Exec(ctx); err != nil {
		return nil, fmt.Errorf("auth: create operator %s: %w", email, store.Translate(err))
	}
	return op, nil
}

// OperatorByEmail returns the operator with that email.
func (s *Store) OperatorByEmail(ctx context.Context, email string) (*Operator, error) {
	op := new(Operator)
	if err := s.db.NewSelect().Model(op).Where("email = ?", strings.ToLower(strings.TrimSpace(email))).Scan(ctx); err != nil {
		return nil, fmt.Errorf("auth: operator by email: %w", store.Translate(err))
	}
	return op, nil
}

// OperatorByID returns the operator with that id.
func (s *Store) OperatorByID(ctx context.Context, id string) (*Operator, error) {
	op := new(Operator)
	if err := s.db.NewSelect().Model(op).Where("id = ?", id).Scan(ctx); err != nil {
		return nil, fmt.Errorf("auth: operator %s: %w", id, store.Translate(err))
	}
	return op, nil
}

// DisableOperator stops an operator from working: the account is marked
// disabled and every one of its sessions ends, on every instance at once.
func (s *Store) DisableOperator(ctx context.Context, id string) error {
	return s.changeOperator(ctx, id, true, "disabled = ?, session_version = session_version + 1", true)
}

// EnableOperator lets a disabled operator sign in again (no old session
// comes back).
func (s *Store) EnableOperator(ctx context.Context, id string) error {
	return s.changeOperator(ctx, id, false, "disabled = ?", false)
}

// SetOperatorPassword stores a new password hash and ends every session of
// the operator.
func (s *Store) SetOperatorPassword(ctx context.Context, id, passwordHash string) error {
	return s.changeOperator(ctx, id, true, "password_hash = ?, session_version = session_version + 1", passwordHash)
}

// changeOperator applies set to one operator and, with endSessions, deletes
// its sessions in the same transaction; an unknown id is store.ErrNotFound.
func (s *Store) changeOperator(ctx context.Context, id string, endSessions bool, set string, args ...any) error {
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewUpdate().Model((*Operator)(nil)).Set(set, args...).Where("id = ?", id).Exec(ctx)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return store.ErrNotFound
		}
		if !endSessions {
			return nil
		}
		_, err = tx.NewDelete().Model((*Session)(nil)).Where("kind = ? AND subject_id = ?", KindOperator, id).Exec(ctx)
		return err
	})
	if err != nil {
		return fmt.Errorf("auth: update operator %s: %w", id, store.Translate(err))
	}
	return nil
}
