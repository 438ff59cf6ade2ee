package auth

import (
	"context"
	"fmt"
	"time"
)

// Two-factor modes of a client's portal account (portal_accounts.totp_mode).
const (
	TOTPOff      = "off"
	TOTPOptional = "optional"
	TOTPRequired = "required"
)

// ValidTOTPMode reports whether m is a two-factor mode of portal accounts.
func ValidTOTPMode(m string) bool { return m == TOTPOff || m == TOTPOptional || m == TOTPRequired }

// PendingSecondFactorTTL is how long a session waiting for the second factor lives.
const PendingSecondFactorTTL = 5 * time.Minute

// PendingTOTPSecret returns the secret of an enrolment begun but not yet
// confirmed, so that its QR code can be shown again after a wrong first code.
// Without one it is ErrTOTPNotEnrolled; once confirmed, ErrTOTPEnabled.
func (st *Store) PendingTOTPSecret(ctx context.Context, box *SecretBox, s TOTPSubject) ([]byte, error) {
	state, err := st.totpState(ctx, s)
	if err != nil {
		return nil, err
	}
	if state.enabled {
		return nil, fmt.Errorf("auth: pending two-factor secret of %s %s: %w", s.Kind, s.ID, ErrTOTPEnabled)
	}
	if state.secret == nil {
		return nil, fmt.Errorf("auth: pending two-factor secret of %s %s: %w", s.Kind, s.ID, ErrTOTPNotEnrolled)
	}
	secret, err := box.open(state.secret, s.owner())
	if err != nil {
		return nil, fmt.Errorf("auth: pending two-factor secret of %s %s: %w", s.Kind, s.ID, err)
	}
	return secret, nil
}
