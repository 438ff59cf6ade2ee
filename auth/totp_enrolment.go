package auth

import (
	"context"
	"encoding/base64"
	"errors"
	"html/template"
)

// Enrolment is what a two-factor page shows of a subject: on, with the
// recovery codes left, or an enrolment in progress, with its QR code and its
// secret as text.
type Enrolment struct {
	Enabled   bool
	Remaining int          // recovery codes left, when on
	QR        template.URL // data: URL of the QR code PNG, when enrolling
	Secret    string       // the secret as text, when enrolling
	Issuer    string       // the name the authenticator lists the entry under
	Account   string
}

// EnrolmentOf reads the subject's two-factor state for its page. begin
// starts an enrolment when none is pending; a pending secret sealed under
// another key is replaced. issuer and account name the authenticator entry.
func (st *Store) EnrolmentOf(ctx context.Context, box *SecretBox, s TOTPSubject, enabled, begin bool, issuer, account string) (*Enrolment, error) {
	e := &Enrolment{Enabled: enabled, Issuer: issuer, Account: account}
	if enabled {
		n, err := st.RemainingRecoveryCodes(ctx, s)
		e.Remaining = n
		return e, err
	}
	secret, err := st.PendingTOTPSecret(ctx, box, s)
	if errors.Is(err, ErrUnseal) || errors.Is(err, ErrTOTPNotEnrolled) && begin {
		secret, err = st.BeginTOTPEnrollment(ctx, box, s)
	}
	if errors.Is(err, ErrTOTPNotEnrolled) {
		return e, nil
	}
	if err != nil {
		return nil, err
	}
	png, err := QRCodePNG(TOTPURI(issuer, account, secret), 240)
	if err != nil {
		return nil, err
	}
	e.QR = template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png))
	e.Secret = EncodeTOTPSecret(secret)
	return e, nil
}
