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
