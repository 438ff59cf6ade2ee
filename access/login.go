package access

import (
	"context"
	"errors"
	"time"

	"workrate/auth"
	"workrate/store"
	"workrate/tenant"
)

// maxCandidates bounds how many accounts of one email a sign-in on the
// platform host looks at (emails are unique per agency, not across the
// platform). The gate verifies them at a constant cost, so this only bounds
// the query.
const maxCandidates = 100

// LoginRequest is one client sign-in as the portal received it.
type LoginRequest struct {
	Email    string
	Password string
	IP       string
	Host     string
	// Agency is the agency of the host signed in on; nil on the platform host,
	// where the account is looked for among all agencies.
	Agency *tenant.Agency
}

// ErrInvalidLogin is every failure the client may not learn more about:
// unknown email, wrong password, disabled access.
var ErrInvalidLogin = errors.New("access: invalid email or password")

// ErrPasswordTooLong is a password over auth.MaxPasswordBytes, refused before hashing.
var ErrPasswordTooLong = errors.New("access: password too long")

// ExpiredError is a right temporary password past its expiry: the client
// must ask the agency for a new one.
type ExpiredError struct{ Agency tenant.Agency }

func (e *ExpiredError) Error() string { return "access: temporary password expired" }

// Login checks a client's credentials through the gate and returns the
// account to start a session for. Errors: ErrInvalidLogin,
// ErrPasswordTooLong, *ExpiredError, *auth.ThrottledError, auth.ErrBusy
// (answer 429 at once), or an internal error.
func (s *Service) Login(ctx context.Context, req LoginRequest) (*auth.PortalAccount, error) {
	if auth.CheckLength(req.Password) != nil {
		return nil, ErrPasswordTooLong
	}
	now := store.Now()
	var candidates []auth.PortalAccount
	if email, err := auth.NormalizeEmail(req.Email); err == nil {
		if candidates, err = s.candidates(ctx, req.Agency, email); err != nil {
			return nil, err
		}
	}
	holders := make([]auth.Holder, 0, len(candidates))
	for i := range candidates {
		holders = append(holders, clientHolder(&candidates[i], now))
	}
	asker := auth.Asker{Kind: auth.KindClient, Email: req.Email, IP: req.IP, Host: req.Host}
	if req.Agency != nil {
		asker.AgencyID, asker.Agency = req.Agency.ID, req.Agency.ID
	}
	opened, err := s.gate.SignIn(ctx, asker, holders, req.Password, req.Agency == nil)
	var refused *auth.RefusedError
	switch {
	case errors.As(err, &refused) && refused.Reason == auth.ReasonExpired:
		e := &ExpiredError{}
		if site := s.resolver.SiteByID(refused.Holder.AgencyID); site != nil {
			e.Agency = site.Agency
		}
		return nil, e
	case errors.Is(err, auth.ErrDenied):
		return nil, ErrInvalidLogin
	case err != nil:
		return nil, err
	}
	// Several accounts of one email with one password: the oldest opens (a
	// client's logins in several agencies share their email and password
	// only by their own choice).
	var match *auth.PortalAccount
	for i := range candidates {
		if candidates[i].ID == opened[0].ID {
			match = &candidates[i]
		}
	}
	if len(opened) > 1 {
		if err := s.gate.Succeeded(ctx, asker, opened[0]); err != nil {
			return nil, err
		}
	}
	if err := s.auth.RecordPortalLogin(ctx, match.AgencyID, match.ID, now); err != nil {
		return nil, err
	}
	match.LastLoginAt = &now
	return match, nil
}

// clientHolder is a portal account as the gate sees it: a disabled login or
// an expired temporary password is refused even with the right password.
func clientHolder(a *auth.PortalAccount, now time.Time) auth.Holder {
	h := auth.Holder{ID: a.ID, AgencyID: a.AgencyID, WorkspaceID: a.WorkspaceID, Hash: a.PasswordHash}
	switch {
	case !a.Enabled:
		h.Refusal = auth.ReasonDisabled
	case a.PasswordExpired(now):
		h.Refusal = auth.ReasonExpired
	}
	return h
}

// candidates finds the accounts a sign-in may be for: on an agency host, that
// agency's account with the email; on the platform host, the accounts of
// active agencies with that email.
func (s *Service) candidates(ctx context.Context, agency *tenant.Agency, email string) ([]auth.PortalAccount, error) {
	if agency != nil {
		a, err := s.auth.PortalAccountByEmail(ctx, agency.ID, email)
		if isNotFound(err) {
			return nil, nil
		}
		if err != nil {
			return nil, wrap("find account", err)
		}
		return []auth.PortalAccount{*a}, nil
	}
	all, err := s.auth.PortalAccountsByEmailAnyAgency(ctx, email, maxCandidates)
	if err != nil {
		return nil, wrap("find account", err)
	}
	var mine []auth.PortalAccount
	for _, a := range all {
		if site := s.resolver.SiteByID(a.AgencyID); site != nil && site.Agency.Active() {
			mine = append(mine, a)
		}
	}
	return mine, nil
}
