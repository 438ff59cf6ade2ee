package auth

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"workrate/store"
)

// Reasons recorded for sign-in attempts, in words staff can act on.
const (
	ReasonOK            = "ok"
	ReasonWrongPassword = "wrong_password"
	ReasonUnknownEmail  = "unknown_email"
	ReasonDisabled      = "disabled"
	ReasonExpired       = "expired"
	ReasonThrottled     = "throttled"
	ReasonWrongHost     = "wrong_host"
	ReasonBadCode       = "bad_code"
)

// Throttle limits: failures per account, and per client address (password
// spraying), within Window.
const (
	ThrottleWindow     = 15 * time.Minute
	MaxAccountFailures = 5
	MaxAddressFailures = 30
)

// Attempt is one sign-in attempt, kept per agency for troubleshooting.
type Attempt struct {
	bun.BaseModel `bun:"table:login_attempts"`

	ID          string    `bun:"id,pk" json:"-"`
	AgencyID    string    `bun:"agency_id,nullzero" json:"-"`
	WorkspaceID string    `bun:"workspace_id,nullzero" json:"-"`
	AccountID   string    `bun:"account_id,nullzero" json:"-"`
	Kind        string    `bun:"kind" json:"kind"`
	Email       string    `bun:"email" json:"email"`
	IP          string    `bun:"ip" json:"ip"`
	Host        string    `bun:"host" json:"host"`
	Success     bool      `bun:"success" json:"success"`
	Reason      string    `bun:"reason" json:"reason"`
	CreatedAt   time.Time `bun:"created_at" json:"at"`
}

// RecordAttempt stores an attempt.
func (s *Store) RecordAttempt(ctx context.Context, a *Attempt) error {
	a.ID = store.NewID()
	if a.CreatedAt.IsZero() {
		a.CreatedAt = store.Now()
	}
	if len(a.Email) > 254 {
		a.Email = a.Email[:254]
	}
	if _, err := s.db.NewInsert().Model(a).Exec(ctx); err != nil {
		return fmt.Errorf("auth: record attempt: %w", store.Translate(err))
	}
	return nil
}

// counted failures: throttled attempts are recorded but do not extend a lock-out.
var countedFailures = []string{ReasonWrongPassword, ReasonUnknownEmail, ReasonBadCode}

// Throttled says how long the caller must wait before another attempt for this
// account (may be empty) from this address; 0 means go ahead. It answers from
// the database, so the limit holds across instances.
func (s *Store) Throttled(ctx context.Context, accountID, ip string) (time.Duration, error) {
	now := store.Now()
	since := now.Add(-ThrottleWindow)
	wait := func(col, val string, max int) (time.Duration, error) {
		var times []time.Time
		err := s.db.NewSelect().Model((*Attempt)(nil)).Column("created_at").
			Where("? = ? AND created_at > ? AND success = ? AND reason IN (?)", bun.Ident(col), val, since, false, bun.List(countedFailures)).
			Order("created_at DESC").Limit(int64(max)).Scan(ctx, &times)
		if err != nil {
			return 0, fmt.Errorf("auth: throttle by %s: %w", col, store.Translate(err))
		}
		if len(times) < max {
			return 0, nil
		}
		// Locked until the oldest of the last max failures leaves the window.
		return times[len(times)-1].Add(ThrottleWindow).Sub(now), nil
	}
	var longest time.Duration
	if accountID != "" {
		d, err := wait("account_id", accountID, MaxAccountFailures)
		if err != nil {
			return 0, err
		}
		longest = d
	}
	if ip != "" {
		d, err := wait("ip", ip, MaxAddressFailures)
		if err != nil {
			return 0, err
		}
		longest = max(longest, d)
	}
	return longest, nil
}

// AttemptsOf lists an agency's attempts for one workspace, newest first.
func (s *Store) AttemptsOf(ctx context.Context, agencyID, workspaceID string, limit int) ([]Attempt, error) {
	var out []Attempt
	err := s.db.NewSelect().Model(&out).Where("agency_id = ? AND workspace_id = ?", agencyID, workspaceID).
		Order("created_at DESC").Limit(int64(limit)).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("auth: attempts: %w", store.Translate(err))
	}
	return out, nil
}

// DeleteOldAttempts removes attempts older than keep; a background job calls it.
func (s *Store) DeleteOldAttempts(ctx context.Context, keep time.Duration) (int64, error) {
	res, err := s.db.NewDelete().Model((*Attempt)(nil)).Where("created_at < ?", store.Now().Add(-keep)).Exec(ctx)
	if err != nil {
		return 0, fmt.Errorf("auth: delete old attempts: %w", store.Translate(err))
	}
	n, _ := res.RowsAffected()
	return n, nil
}
