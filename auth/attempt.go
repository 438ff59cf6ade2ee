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
	ReasonWrongHost     = "wrong_host" // no longer recorded (issue 16); shown for rows from before
	ReasonBadCode       = "bad_code"
)

// Throttle limits within ThrottleWindow. A hard lock of the account after a
// few failures from anywhere would let anyone lock its owner out and would
// tell known accounts from unknown ones; instead (SECURITY.md, "Sign-in
// throttling"):
//   - one email from one address group: MaxPairFailures, then that pair waits;
//   - one address group, any email: MaxAddressFailures, then it waits;
//   - one email from every address: after EmailSlowAfter failures each
//     further attempt waits twice as long as the one before (from 1 s, at
//     most MaxEmailDelay), except from an address that signed in to it
//     within UsualAddressAge: the owner's usual address is never slowed.
//
// Every limit is keyed by the email typed, never by whether an account has
// it, so known and unknown accounts are answered alike.
const (
	ThrottleWindow     = 15 * time.Minute
	MaxPairFailures    = 5
	MaxAddressFailures = 30
	EmailSlowAfter     = 10
	MaxEmailDelay      = 5 * time.Minute
	UsualAddressAge    = 30 * 24 * time.Hour
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
	Addr        string    `bun:"addr" json:"-"` // the throttle's address group (Addr)
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
	a.Email = ShownEmail(a.Email)
	if a.Addr == "" {
		a.Addr = Addr(a.IP)
	}
	if _, err := s.db.NewInsert().Model(a).Exec(ctx); err != nil {
		return fmt.Errorf("auth: record attempt: %w", store.Translate(err))
	}
	return nil
}

// counted failures: throttled attempts are recorded but do not extend a lock-out.
var countedFailures = []string{ReasonWrongPassword, ReasonUnknownEmail, ReasonBadCode}

// Throttled says how long an attempt for email from the address group addr
// must wait (the limits above); 0 means go ahead. It answers from the
// database, so the limits hold across instances.
func (s *Store) Throttled(ctx context.Context, email, addr string) (time.Duration, error) {
	wait, _, err := s.throttled(ctx, email, addr)
	return wait, err
}

// throttled is Throttled that also says whether the address group's own
// limit is the reason (so that memory can refuse its other emails too).
func (s *Store) throttled(ctx context.Context, email, addr string) (wait time.Duration, byAddr bool, err error) {
	now := store.Now()
	for _, l := range []struct {
		where string
		args  []any
		max   int
	}{
		{"email = ? AND addr = ?", []any{email, addr}, MaxPairFailures},
		{"addr = ?", []any{addr}, MaxAddressFailures},
	} {
		times, err := s.failures(ctx, l.where, l.args, l.max, now)
		if err != nil {
			return 0, false, err
		}
		if len(times) == l.max {
			// Waits until the oldest of the last max failures leaves the window.
			if w := times[len(times)-1].Add(ThrottleWindow).Sub(now); w > wait {
				wait, byAddr = w, l.max == MaxAddressFailures
			}
		}
	}
	if wait > 0 {
		return wait, byAddr, nil
	}
	wait, err = s.emailDelay(ctx, email, addr, now)
	return wait, false, err
}

// emailDelay is the wait of an email that failed from many addresses: none
// below EmailSlowAfter failures or from the owner's usual address.
func (s *Store) emailDelay(ctx context.Context, email, addr string, now time.Time) (time.Duration, error) {
	const most = EmailSlowAfter + 20 // enough to reach MaxEmailDelay
	times, err := s.failures(ctx, "email = ?", []any{email}, most, now)
	if err != nil || len(times) < EmailSlowAfter {
		return 0, err
	}
	delay := min(time.Second<<(len(times)-EmailSlowAfter), MaxEmailDelay)
	wait := times[0].Add(delay).Sub(now)
	if wait <= 0 {
		return 0, nil
	}
	usual, err := s.db.NewSelect().Model((*Attempt)(nil)).
		Where("email = ? AND addr = ? AND success = ? AND created_at > ?", email, addr, true, now.Add(-UsualAddressAge)).
		Exists(ctx)
	if err != nil {
		return 0, fmt.Errorf("auth: usual address: %w", store.Translate(err))
	}
	if usual {
		return 0, nil
	}
	return wait, nil
}

// failures returns the times of the newest counted failures matching where
// within the window, newest first, at most limit. An attempt recorded once
// per agency (the platform host) has one time and counts once.
func (s *Store) failures(ctx context.Context, where string, args []any, limit int, now time.Time) ([]time.Time, error) {
	var times []time.Time
	err := s.db.NewSelect().Model((*Attempt)(nil)).ColumnExpr("DISTINCT created_at").
		Where(where, args...).
		Where("created_at > ? AND success = ? AND reason IN (?)", now.Add(-ThrottleWindow), false, bun.List(countedFailures)).
		Order("created_at DESC").Limit(int64(limit)).Scan(ctx, &times)
	if err != nil {
		return nil, fmt.Errorf("auth: throttle: %w", store.Translate(err))
	}
	return times, nil
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
