package auth

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"workrate/store"
)

// Errors of two-factor sign-in.
var (
	// ErrBadCode means a code is wrong, malformed, outside its window or already used.
	ErrBadCode = errors.New("auth: wrong or already used code")
	// ErrTOTPNotEnrolled means the subject has no (confirmed, for sign-in) authenticator.
	ErrTOTPNotEnrolled = errors.New("auth: two-factor sign-in is not set up")
	// ErrTOTPEnabled means two-factor sign-in is already on: disable or reset it first.
	ErrTOTPEnabled = errors.New("auth: two-factor sign-in is already on")
)

// TOTPSubject names whose second factor is meant: a staff member (staff_users)
// or a client's portal account (portal_accounts), always within its agency,
// or a platform operator (operators, who belong to no agency).
type TOTPSubject struct {
	Kind     string // KindStaff, KindClient or KindOperator
	AgencyID string // empty for an operator
	ID       string
}

// table returns the subject's table, checking the subject is complete.
func (s TOTPSubject) table() (string, error) {
	if s.ID == "" || s.AgencyID == "" && s.Kind != KindOperator {
		return "", fmt.Errorf("auth: two-factor subject without agency or id: %w", store.ErrNotFound)
	}
	switch s.Kind {
	case KindStaff:
		return "staff_users", nil
	case KindClient:
		return "portal_accounts", nil
	case KindOperator:
		return "operators", nil
	}
	return "", fmt.Errorf("auth: two-factor sign-in for %q accounts: want %q, %q or %q", s.Kind, KindStaff, KindClient, KindOperator)
}

// where is the condition that picks the subject's row, and more.
func (s TOTPSubject) where(more string) string {
	w := "agency_id = ? AND id = ?"
	if s.Kind == KindOperator {
		w = "id = ?"
	}
	if more != "" {
		w += " AND " + more
	}
	return w
}

// args are the arguments of where, then more.
func (s TOTPSubject) args(more ...any) []any {
	if s.Kind == KindOperator {
		return append([]any{s.ID}, more...)
	}
	return append([]any{s.AgencyID, s.ID}, more...)
}

// owner binds a sealed secret to its row: a sealed secret copied onto
// another account does not open.
func (s TOTPSubject) owner() []byte {
	return []byte("totp\x00" + s.Kind + "\x00" + s.AgencyID + "\x00" + s.ID)
}

// recoveryCode is one stored recovery code: only its keyed hash is kept.
type recoveryCode struct {
	bun.BaseModel `bun:"table:recovery_codes"`

	ID          string     `bun:"id,pk"`
	AgencyID    string     `bun:"agency_id"`
	SubjectKind string     `bun:"subject_kind"`
	SubjectID   string     `bun:"subject_id"`
	CodeHash    string     `bun:"code_hash"`
	UsedAt      *time.Time `bun:"used_at"`
	CreatedAt   time.Time  `bun:"created_at"`
}

// totpState is the second-factor part of an account row.
type totpState struct {
	secret   []byte // sealed
	enabled  bool
	lastStep int64
}

// totpState reads the subject's second-factor columns.
func (st *Store) totpState(ctx context.Context, s TOTPSubject) (*totpState, error) {
	table, err := s.table()
	if err != nil {
		return nil, err
	}
	var ts totpState
	err = st.db.NewSelect().Table(table).Column("totp_secret", "totp_enabled", "totp_last_step").
		Where(s.where(""), s.args()...).Scan(ctx, &ts.secret, &ts.enabled, &ts.lastStep)
	if err != nil {
		return nil, fmt.Errorf("auth: two-factor state of %s %s: %w", s.Kind, s.ID, store.Translate(err))
	}
	return &ts, nil
}

// BeginTOTPEnrollment makes a new secret for the subject and stores it sealed,
// not yet enabled (a previous unconfirmed one is replaced). It returns the
// secret in clear, for the QR code and the text shown once; it is never
// returned again. While two-factor sign-in is on, it is ErrTOTPEnabled.
func (st *Store) BeginTOTPEnrollment(ctx context.Context, box *SecretBox, s TOTPSubject) ([]byte, error) {
	table, err := s.table()
	if err != nil {
		return nil, err
	}
	secret, err := GenerateTOTPSecret()
	if err != nil {
		return nil, err
	}
	sealed, err := box.seal(secret, s.owner())
	if err != nil {
		return nil, err
	}
	res, err := st.db.NewUpdate().Table(table).
		Set("totp_secret = ?", sealed).Set("totp_last_step = 0").Set("updated_at = ?", store.Now()).
		Where(s.where("totp_enabled = ?"), s.args(false)...).Exec(ctx)
	if err != nil {
		return nil, fmt.Errorf("auth: begin two-factor enrolment of %s %s: %w", s.Kind, s.ID, store.Translate(err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		if _, err := st.totpState(ctx, s); err != nil {
			return nil, err
		}
		return nil, fmt.Errorf("auth: begin two-factor enrolment of %s %s: %w", s.Kind, s.ID, ErrTOTPEnabled)
	}
	return secret, nil
}

// ConfirmTOTPEnrollment checks the first code from the authenticator against
// the pending secret and, in one transaction, turns two-factor sign-in on,
// records the code's step (it cannot be used again) and replaces the
// subject's recovery codes. It returns the new recovery codes in clear, to be
// shown once. A wrong code is ErrBadCode; no pending secret is ErrTOTPNotEnrolled.
func (st *Store) ConfirmTOTPEnrollment(ctx context.Context, box *SecretBox, s TOTPSubject, code string, now time.Time) ([]string, error) {
	table, err := s.table()
	if err != nil {
		return nil, err
	}
	codes, err := GenerateRecoveryCodes(RecoveryCodeCount)
	if err != nil {
		return nil, err
	}
	err = st.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		ts := NewStore(tx)
		state, err := ts.totpState(ctx, s)
		if err != nil {
			return err
		}
		if state.enabled {
			return ErrTOTPEnabled
		}
		if state.secret == nil {
			return ErrTOTPNotEnrolled
		}
		secret, err := box.open(state.secret, s.owner())
		if err != nil {
			return err
		}
		step, ok := VerifyTOTP(secret, code, now, state.lastStep)
		if !ok {
			return ErrBadCode
		}
		// Conditional on the state just read: of two confirmations racing
		// with the same code, only one turns it on.
		res, err := tx.NewUpdate().Table(table).
			Set("totp_enabled = ?", true).Set("totp_last_step = ?", step).Set("updated_at = ?", store.Now()).
			Where(s.where("totp_enabled = ? AND totp_last_step < ?"), s.args(false, step)...).Exec(ctx)
		if err != nil {
			return store.Translate(err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return ErrBadCode
		}
		return ts.replaceRecoveryCodes(ctx, box, s, codes)
	})
	if err != nil {
		return nil, fmt.Errorf("auth: confirm two-factor enrolment of %s %s: %w", s.Kind, s.ID, err)
	}
	return codes, nil
}

// replaceRecoveryCodes deletes the subject's recovery codes and stores the
// keyed hashes of codes instead.
func (st *Store) replaceRecoveryCodes(ctx context.Context, box *SecretBox, s TOTPSubject, codes []string) error {
	if err := st.deleteRecoveryCodes(ctx, s); err != nil {
		return err
	}
	now := store.Now()
	rows := make([]recoveryCode, 0, len(codes))
	for _, c := range codes {
		n, ok := normalizeRecoveryCode(c)
		if !ok {
			return fmt.Errorf("auth: malformed recovery code generated")
		}
		rows = append(rows, recoveryCode{ID: store.NewID(), AgencyID: s.AgencyID, SubjectKind: s.Kind, SubjectID: s.ID,
			CodeHash: box.hashRecoveryCode(n), CreatedAt: now})
	}
	if _, err := st.db.NewInsert().Model(&rows).Exec(ctx); err != nil {
		return fmt.Errorf("auth: store recovery codes: %w", store.Translate(err))
	}
	return nil
}

// deleteRecoveryCodes deletes every recovery code of the subject.
func (st *Store) deleteRecoveryCodes(ctx context.Context, s TOTPSubject) error {
	_, err := st.db.NewDelete().Model((*recoveryCode)(nil)).
		Where("agency_id = ? AND subject_kind = ? AND subject_id = ?", s.AgencyID, s.Kind, s.ID).Exec(ctx)
	if err != nil {
		return fmt.Errorf("auth: delete recovery codes: %w", store.Translate(err))
	}
	return nil
}

// verifySecondFactor checks a code at sign-in: a 6-digit authenticator code or
// one of the subject's unused recovery codes; usedRecovery says which. Each is
// accepted once: the authenticator's step advances with a conditional update
// and a recovery code is marked used atomically, so of two concurrent uses of
// one code exactly one passes. A wrong or used code is ErrBadCode; without a
// confirmed enrolment it is ErrTOTPNotEnrolled.
func (st *Store) verifySecondFactor(ctx context.Context, box *SecretBox, s TOTPSubject, code string, now time.Time) (usedRecovery bool, err error) {
	table, err := s.table()
	if err != nil {
		return false, err
	}
	state, err := st.totpState(ctx, s)
	if err != nil {
		return false, err
	}
	if !state.enabled || state.secret == nil {
		return false, fmt.Errorf("auth: verify second factor of %s %s: %w", s.Kind, s.ID, ErrTOTPNotEnrolled)
	}
	if _, ok := normalizeTOTPCode(code); ok {
		secret, err := box.open(state.secret, s.owner())
		if err != nil {
			return false, fmt.Errorf("auth: verify second factor of %s %s: %w", s.Kind, s.ID, err)
		}
		step, ok := VerifyTOTP(secret, code, now, state.lastStep)
		if !ok {
			return false, fmt.Errorf("auth: verify second factor of %s %s: %w", s.Kind, s.ID, ErrBadCode)
		}
		res, err := st.db.NewUpdate().Table(table).Set("totp_last_step = ?", step).
			Where(s.where("totp_enabled = ? AND totp_last_step < ?"), s.args(true, step)...).Exec(ctx)
		if err != nil {
			return false, fmt.Errorf("auth: record second factor step: %w", store.Translate(err))
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return false, fmt.Errorf("auth: verify second factor of %s %s: code already used: %w", s.Kind, s.ID, ErrBadCode)
		}
		return false, nil
	}
	if rc, ok := normalizeRecoveryCode(code); ok {
		res, err := st.db.NewUpdate().Model((*recoveryCode)(nil)).Set("used_at = ?", store.Now()).
			Where("agency_id = ? AND subject_kind = ? AND subject_id = ? AND code_hash = ? AND used_at IS NULL",
				s.AgencyID, s.Kind, s.ID, box.hashRecoveryCode(rc)).Exec(ctx)
		if err != nil {
			return false, fmt.Errorf("auth: use recovery code: %w", store.Translate(err))
		}
		if n, _ := res.RowsAffected(); n == 1 {
			return true, nil
		}
	}
	return false, fmt.Errorf("auth: verify second factor of %s %s: %w", s.Kind, s.ID, ErrBadCode)
}

// disableTOTP turns two-factor sign-in off at the subject's own request. It
// needs a fresh code (an authenticator code not used before, or an unused
// recovery code, for someone who lost the device) and then clears the secret
// and the recovery codes, in one transaction.
func (st *Store) disableTOTP(ctx context.Context, box *SecretBox, s TOTPSubject, code string, now time.Time) error {
	return st.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		ts := NewStore(tx)
		if _, err := ts.verifySecondFactor(ctx, box, s, code, now); err != nil {
			return fmt.Errorf("auth: disable two-factor sign-in: %w", err)
		}
		return ts.clearTOTP(ctx, s)
	})
}

// ResetTOTP clears the subject's secret, enrolment, last step and recovery
// codes without a code: the agency's reset when it sets a new temporary
// password (the subject enrols again).
func (st *Store) ResetTOTP(ctx context.Context, s TOTPSubject) error {
	return st.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		return NewStore(tx).clearTOTP(ctx, s)
	})
}

// clearTOTP clears the subject's second-factor columns and recovery codes.
func (st *Store) clearTOTP(ctx context.Context, s TOTPSubject) error {
	table, err := s.table()
	if err != nil {
		return err
	}
	res, err := st.db.NewUpdate().Table(table).
		Set("totp_secret = NULL").Set("totp_enabled = ?", false).Set("totp_last_step = 0").Set("updated_at = ?", store.Now()).
		Where(s.where(""), s.args()...).Exec(ctx)
	if err != nil {
		return fmt.Errorf("auth: clear two-factor sign-in of %s %s: %w", s.Kind, s.ID, store.Translate(err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("auth: clear two-factor sign-in of %s %s: %w", s.Kind, s.ID, store.ErrNotFound)
	}
	return st.deleteRecoveryCodes(ctx, s)
}

// TOTPEnabled reports whether the subject has confirmed two-factor sign-in.
func (st *Store) TOTPEnabled(ctx context.Context, s TOTPSubject) (bool, error) {
	state, err := st.totpState(ctx, s)
	if err != nil {
		return false, err
	}
	return state.enabled, nil
}

// RemainingRecoveryCodes counts the subject's unused recovery codes.
func (st *Store) RemainingRecoveryCodes(ctx context.Context, s TOTPSubject) (int, error) {
	if _, err := st.totpState(ctx, s); err != nil {
		return 0, err
	}
	n, err := st.db.NewSelect().Model((*recoveryCode)(nil)).
		Where("agency_id = ? AND subject_kind = ? AND subject_id = ? AND used_at IS NULL", s.AgencyID, s.Kind, s.ID).Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("auth: count recovery codes: %w", store.Translate(err))
	}
	return int(n), nil
}
