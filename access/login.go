package access

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"workrate/auth"
	"workrate/store"
	"workrate/tenant"
)

// maxCandidates bounds how many accounts one sign-in on the platform host
// verifies (emails are unique per agency, not across the platform), and so
// how many hashes one request can cost.
const maxCandidates = 3

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
// unknown email, wrong password, disabled access, wrong host.
var ErrInvalidLogin = errors.New("access: invalid email or password")

// ErrPasswordTooLong is a password over auth.MaxPasswordBytes, refused before hashing.
var ErrPasswordTooLong = errors.New("access: password too long")

// ExpiredError is a right temporary password past its expiry: the client
// must ask the agency for a new one.
type ExpiredError struct{ Agency tenant.Agency }

func (e *ExpiredError) Error() string { return "access: temporary password expired" }

// ThrottledError is a sign-in refused, without hashing, after too many
// failures for the account or from the address.
type ThrottledError struct{ Wait time.Duration }

func (e *ThrottledError) Error() string { return fmt.Sprintf("access: throttled for %s", e.Wait) }

// Login checks a client's credentials and returns the account to start a
// session for. Every attempt is recorded for the agency it concerns. Errors:
// ErrInvalidLogin, ErrPasswordTooLong, *ExpiredError, *ThrottledError,
// auth.ErrBusy (answer 429 at once), or an internal error.
func (s *Service) Login(ctx context.Context, req LoginRequest) (*auth.PortalAccount, error) {
	if auth.CheckLength(req.Password) != nil {
		return nil, ErrPasswordTooLong
	}
	now := store.Now()
	shown := strings.ToLower(strings.TrimSpace(req.Email))
	email, emailErr := auth.NormalizeEmail(req.Email)
	record := func(agencyID string, a *auth.PortalAccount, ok bool, reason string) error {
		at := &auth.Attempt{AgencyID: agencyID, Kind: auth.KindClient, Email: shown, IP: req.IP, Host: req.Host,
			Success: ok, Reason: reason, CreatedAt: now}
		if a != nil {
			at.AgencyID, at.WorkspaceID, at.AccountID = a.AgencyID, a.WorkspaceID, a.ID
		}
		return s.auth.RecordAttempt(ctx, at)
	}
	hostAgency := ""
	if req.Agency != nil {
		hostAgency = req.Agency.ID
	}

	var candidates, elsewhere []auth.PortalAccount
	if emailErr == nil {
		var err error
		if candidates, elsewhere, err = s.candidates(ctx, req.Agency, email); err != nil {
			return nil, err
		}
	}

	// One attempt at a time per address and account on this instance, from
	// the throttle check to the record, so that a burst is not all hashed.
	ids := make([]string, 0, len(candidates))
	for i := range candidates {
		ids = append(ids, candidates[i].ID)
	}
	done, err := s.pool.Turn(ctx, req.IP, ids...)
	if err != nil {
		return nil, err
	}
	defer done()

	// Throttle before any hashing: a throttled attempt costs no hash.
	if len(candidates) == 0 {
		wait, err := s.pool.Throttled(ctx, s.auth, "", req.IP)
		if err != nil {
			return nil, wrap("throttle", err)
		}
		if wait > 0 {
			if !s.pool.RecordThrottled(req.IP, "") {
				return nil, &ThrottledError{Wait: wait}
			}
			return nil, outcome(&ThrottledError{Wait: wait}, record(hostAgency, nil, false, auth.ReasonThrottled))
		}
	} else {
		open := candidates[:0:0]
		var shortest time.Duration
		for i := range candidates {
			wait, err := s.pool.Throttled(ctx, s.auth, candidates[i].ID, req.IP)
			if err != nil {
				return nil, wrap("throttle", err)
			}
			if wait == 0 {
				open = append(open, candidates[i])
			} else if shortest == 0 || wait < shortest {
				shortest = wait
			}
		}
		if len(open) == 0 {
			var errs []error
			for i := range candidates {
				if s.pool.RecordThrottled(req.IP, candidates[i].ID) {
					errs = append(errs, record("", &candidates[i], false, auth.ReasonThrottled))
				}
			}
			return nil, outcome(&ThrottledError{Wait: shortest}, errs...)
		}
		candidates = open
	}

	if len(candidates) == 0 {
		// Spend what a known account costs, so timing tells nothing.
		if err := s.pool.VerifyDummy(req.Password); err != nil {
			return nil, err
		}
		errs := []error{record(hostAgency, nil, false, auth.ReasonUnknownEmail)}
		for i := range elsewhere {
			// Right email, wrong address: the owning agency sees it in its troubleshooting list.
			errs = append(errs, record("", &elsewhere[i], false, auth.ReasonWrongHost))
		}
		return nil, outcome(ErrInvalidLogin, errs...)
	}

	var match *auth.PortalAccount
	for i := range candidates {
		ok, err := s.verify(candidates[i].PasswordHash, req.Password)
		if err != nil {
			return nil, err
		}
		if ok {
			match = &candidates[i]
			break
		}
	}
	if match == nil {
		var errs []error
		for i := range candidates {
			errs = append(errs, record("", &candidates[i], false, auth.ReasonWrongPassword))
		}
		return nil, outcome(ErrInvalidLogin, errs...)
	}
	if !match.Enabled {
		return nil, outcome(ErrInvalidLogin, record("", match, false, auth.ReasonDisabled))
	}
	if match.PasswordExpired(now) {
		site := s.resolver.SiteByID(match.AgencyID)
		e := &ExpiredError{}
		if site != nil {
			e.Agency = site.Agency
		}
		return nil, outcome(e, record("", match, false, auth.ReasonExpired))
	}
	if err := record("", match, true, auth.ReasonOK); err != nil {
		return nil, err
	}
	if err := s.auth.RecordPortalLogin(ctx, match.AgencyID, match.ID, now); err != nil {
		return nil, err
	}
	match.LastLoginAt = &now
	return match, nil
}

// outcome is the failure of a sign-in, unless recording it failed: then the
// internal error, so that it is logged rather than hidden behind the answer.
func outcome(failure error, recorded ...error) error {
	if err := errors.Join(recorded...); err != nil {
		return wrap("record attempt", err)
	}
	return failure
}

// candidates finds the accounts a sign-in may be for: on an agency host, that
// agency's account with the email (and, when there is none, the accounts with
// that email elsewhere, to record the wrong host); on the platform host, the
// accounts of active agencies with that email.
func (s *Service) candidates(ctx context.Context, agency *tenant.Agency, email string) (mine, elsewhere []auth.PortalAccount, err error) {
	if agency != nil {
		a, err := s.auth.PortalAccountByEmail(ctx, agency.ID, email)
		if err == nil {
			return []auth.PortalAccount{*a}, nil, nil
		}
		if !isNotFound(err) {
			return nil, nil, wrap("find account", err)
		}
		others, err := s.auth.PortalAccountsByEmailAnyAgency(ctx, email, maxCandidates)
		if err != nil {
			return nil, nil, wrap("find account", err)
		}
		return nil, others, nil
	}
	all, err := s.auth.PortalAccountsByEmailAnyAgency(ctx, email, maxCandidates)
	if err != nil {
		return nil, nil, wrap("find account", err)
	}
	for _, a := range all {
		if site := s.resolver.SiteByID(a.AgencyID); site != nil && site.Agency.Active() {
			mine = append(mine, a)
		}
	}
	return mine, nil, nil
}

// verify checks password against hash through the pool; an account without a
// password costs the same as one with.
func (s *Service) verify(hash, password string) (bool, error) {
	if hash == "" {
		return false, s.pool.VerifyDummy(password)
	}
	ok, err := s.pool.Verify(hash, password)
	if errors.Is(err, auth.ErrBusy) {
		return false, err
	}
	if err != nil {
		return false, wrap("verify password", err)
	}
	return ok, nil
}

// RecordUnknownHost records a sign-in posted to a host this platform does not
// serve (a custom domain not yet verified, a mistyped address) as a wrong-host
// attempt for the agencies owning that email. It costs no hash.
func (s *Service) RecordUnknownHost(ctx context.Context, email, ip, host string) error {
	email, err := auth.NormalizeEmail(email)
	if err != nil {
		return nil
	}
	as, err := s.auth.PortalAccountsByEmailAnyAgency(ctx, email, maxCandidates)
	if err != nil {
		return wrap("find account", err)
	}
	for _, a := range as {
		err := s.auth.RecordAttempt(ctx, &auth.Attempt{AgencyID: a.AgencyID, WorkspaceID: a.WorkspaceID, AccountID: a.ID,
			Kind: auth.KindClient, Email: email, IP: ip, Host: host, Reason: auth.ReasonWrongHost})
		if err != nil {
			return err
		}
	}
	return nil
}
