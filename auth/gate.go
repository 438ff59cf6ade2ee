package auth

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/uptrace/bun"

	"workrate/store"
)

// The gate is the one place where a secret is checked: every sign-in (staff on
// an agency host or the platform host, clients, operators), every current
// password asked before a change, every second-factor and recovery code, and
// turning two-factor sign-in off. For each it takes the attempt's turn,
// checks the throttle, verifies (a dummy hash when no account matches, so
// timing tells nothing), records the attempt with its reason, and answers.
// Surfaces never call the hash pool's Verify or the throttle themselves.

// ErrDenied is every refusal the asker may not learn more about: unknown
// email, wrong password or code, a disabled account. Known and unknown
// accounts get it alike.
var ErrDenied = errors.New("auth: wrong email, password or code")

// ThrottledError is an attempt refused, without hashing, after too many
// failures; Wait is how long until the next attempt may go ahead.
type ThrottledError struct{ Wait time.Duration }

func (e *ThrottledError) Error() string { return fmt.Sprintf("auth: throttled for %s", e.Wait) }

// RefusedError is the right secret for an account that may not sign in now
// (Holder.Refusal). It is ErrDenied to errors.Is; the expired temporary
// password is the one refusal a surface explains (who to ask for a new one).
type RefusedError struct {
	Holder Holder
	Reason string
}

func (e *RefusedError) Error() string { return "auth: refused: " + e.Reason }

// Unwrap makes a refusal ErrDenied.
func (e *RefusedError) Unwrap() error { return ErrDenied }

// Asker is who claims to hold a secret, and from where.
type Asker struct {
	Kind  string // KindStaff, KindClient or KindOperator: recorded with the attempt
	Email string // the email typed to sign in, or the signed-in account's: the throttle's key
	IP    string // the client's address; throttled by its group (Addr)
	Host  string // the host asked, recorded
	// AgencyID is the host's agency, recorded with an attempt that matched no account.
	AgencyID string
	// Agency is the key of the agency's share of the hash pool (the host's
	// agency, or "" for the platform host).
	Agency string
}

// Holder is one account a secret may open.
type Holder struct {
	ID          string
	AgencyID    string // empty for operators
	WorkspaceID string // a client account's workspace
	Hash        string // password hash; "" for an account without a password
	// Refusal, when set, refuses the account even with the right secret, and
	// is recorded as the attempt's reason (ReasonDisabled, ReasonExpired).
	Refusal string
}

// Gate checks secrets. Create it with NewGate; it holds no per-request state.
type Gate struct {
	store *Store
	pool  *HashPool
	box   *SecretBox
}

// NewGate returns the gate over db's attempts, hashing through pool; box
// (nil when no secret key is configured) opens second-factor secrets.
func NewGate(db bun.IDB, pool *HashPool, box *SecretBox) *Gate {
	return &Gate{store: NewStore(db), pool: pool, box: box}
}

// Pool returns the gate's hash pool (for hashing new passwords).
func (g *Gate) Pool() *HashPool { return g.pool }

// SignIn checks a password typed to sign in. holders are the accounts the
// email names where the sign-in happens: none (unknown email), one (an
// agency host, the operator console) or several (the platform host, where
// one email may hold accounts in several agencies). It answers the holders
// the password opens (at least one), or ErrDenied, a *RefusedError,
// a *ThrottledError or ErrBusy. With several holders the cost is constant:
// see signInAcross.
func (g *Gate) SignIn(ctx context.Context, a Asker, holders []Holder, password string, across bool) ([]Holder, error) {
	if err := CheckLength(password); err != nil {
		return nil, ErrDenied
	}
	var opened []Holder
	err := g.guard(ctx, a, holders, func() error {
		var matched []Holder
		var err error
		if across {
			matched, err = g.signInAcross(ctx, a, holders, password)
		} else {
			matched, err = g.verifyEach(holders, password)
		}
		if err != nil {
			return err
		}
		opened, err = g.settle(ctx, a, holders, matched)
		return err
	})
	return opened, err
}

// Current checks the password of a signed-in account before a change of its
// own password or second factor: throttled and recorded like a sign-in.
func (g *Gate) Current(ctx context.Context, a Asker, h Holder, password string) error {
	return g.guard(ctx, a, []Holder{h}, func() error {
		if CheckLength(password) != nil {
			return g.fail(ctx, a, []Holder{h}, ReasonWrongPassword)
		}
		ok, err := g.verify(h.Hash, password)
		if err != nil {
			return err
		}
		if !ok {
			return g.fail(ctx, a, []Holder{h}, ReasonWrongPassword)
		}
		return nil
	})
}

// Reused reports whether password is the one h holds now, for refusing a new
// password equal to a temporary one. It is no guess (the account just signed
// in with that password), so it is neither throttled nor recorded.
func (g *Gate) Reused(h Holder, password string) (bool, error) {
	return g.verify(h.Hash, password)
}

// SecondFactor checks the code (or a recovery code) of a sign-in that owes
// its second factor; usedRecovery says a recovery code was spent. Wrong
// codes are ErrDenied; an account without an authenticator is
// ErrTOTPNotEnrolled.
func (g *Gate) SecondFactor(ctx context.Context, a Asker, h Holder, subject TOTPSubject, code string) (usedRecovery bool, err error) {
	if g.box == nil {
		return false, ErrNoSecretKey
	}
	err = g.guard(ctx, a, []Holder{h}, func() error {
		var err error
		usedRecovery, err = g.store.verifySecondFactor(ctx, g.box, subject, code, store.Now())
		return g.codeOutcome(ctx, a, h, err, true)
	})
	return usedRecovery, err
}

// TurnOffSecondFactor turns two-factor sign-in off with a fresh code.
func (g *Gate) TurnOffSecondFactor(ctx context.Context, a Asker, h Holder, subject TOTPSubject, code string) error {
	if g.box == nil {
		return ErrNoSecretKey
	}
	return g.guard(ctx, a, []Holder{h}, func() error {
		return g.codeOutcome(ctx, a, h, g.store.disableTOTP(ctx, g.box, subject, code, store.Now()), false)
	})
}

// ErrNoSecretKey means second factors cannot be checked: no secret key is configured.
var ErrNoSecretKey = errors.New("auth: two-factor sign-in unavailable: no secret key configured")

// codeOutcome records a checked code: a wrong one as a failure (ErrDenied),
// a right one as a success when it completes a sign-in.
func (g *Gate) codeOutcome(ctx context.Context, a Asker, h Holder, err error, signIn bool) error {
	switch {
	case errors.Is(err, ErrBadCode):
		return g.fail(ctx, a, []Holder{h}, ReasonBadCode)
	case err != nil:
		return err
	case signIn:
		return g.record(ctx, a, &h, true, ReasonOK)
	}
	return nil
}

// guard runs check within the attempt's turn (one attempt at a time per
// address group, email and account on this instance, so a burst is not all
// hashed), after the throttle, within the agency's share of the pool.
func (g *Gate) guard(ctx context.Context, a Asker, holders []Holder, check func() error) error {
	a.Email = ShownEmail(a.Email)
	keys := []string{"email:" + a.Email}
	for _, h := range holders {
		keys = append(keys, h.ID)
	}
	addr := Addr(a.IP)
	done, err := g.pool.Turn(ctx, addr, keys...)
	if err != nil {
		return err
	}
	defer done()
	// After the turn: an agency's share counts addresses, not their queues.
	release, ok := g.pool.share(a.Agency)
	if !ok {
		return ErrBusy
	}
	defer release()
	wait, err := g.pool.throttled(ctx, g.store, a.Email, addr)
	if err != nil {
		return err
	}
	if wait > 0 {
		if g.pool.RecordThrottled(addr, a.Email) {
			if err := g.fail(ctx, a, holders, ReasonThrottled); !errors.Is(err, ErrDenied) {
				return err
			}
		}
		return &ThrottledError{Wait: wait}
	}
	return check()
}

// verifyEach verifies password against every holder, or a dummy when there
// is none, and answers those it opens.
func (g *Gate) verifyEach(holders []Holder, password string) ([]Holder, error) {
	if len(holders) == 0 {
		return nil, g.pool.verifyDummy(password)
	}
	var matched []Holder
	for _, h := range holders {
		ok, err := g.verify(h.Hash, password)
		if err != nil {
			return nil, err
		}
		if ok {
			matched = append(matched, h)
		}
	}
	return matched, nil
}

// verify checks password against hash through the pool; an account without a
// password costs the same as one with. Only ErrBusy is an error: a damaged
// hash is logged and a mismatch.
func (g *Gate) verify(hash, password string) (bool, error) {
	if hash == "" {
		return false, g.pool.verifyDummy(password)
	}
	ok, err := g.pool.verify(hash, password)
	if errors.Is(err, ErrBusy) {
		return false, err
	}
	if err != nil {
		slog.Error("password hash unreadable", "err", err)
		return false, nil
	}
	return ok, nil
}

// settle records a sign-in's outcome: the accounts opened and not refused
// sign in (recorded as successes by the caller's choice, see Succeeded);
// otherwise a failure for every account looked at, or the refusal.
func (g *Gate) settle(ctx context.Context, a Asker, holders, matched []Holder) ([]Holder, error) {
	var open []Holder
	var refused *Holder
	for i := range matched {
		if matched[i].Refusal == "" {
			open = append(open, matched[i])
		} else if refused == nil {
			refused = &matched[i]
		}
	}
	switch {
	case len(open) > 0:
		if len(open) == 1 {
			return open, g.record(ctx, a, &open[0], true, ReasonOK)
		}
		return open, nil // the asker chooses one; Succeeded records it
	case refused != nil:
		if err := g.record(ctx, a, refused, false, refused.Refusal); err != nil {
			return nil, err
		}
		return nil, &RefusedError{Holder: *refused, Reason: refused.Refusal}
	case len(holders) == 0:
		return nil, g.fail(ctx, a, nil, ReasonUnknownEmail)
	}
	return nil, g.fail(ctx, a, holders, ReasonWrongPassword)
}

// Succeeded records the sign-in of h after the asker chose it among several
// accounts the password opened.
func (g *Gate) Succeeded(ctx context.Context, a Asker, h Holder) error {
	a.Email = ShownEmail(a.Email)
	return g.record(ctx, a, &h, true, ReasonOK)
}

// fail records a failure for each holder, so that each agency sees it in its
// troubleshooting list (one attempt naming no account when there is none),
// and answers ErrDenied. The rows of one attempt share their time: the
// throttle counts them once.
func (g *Gate) fail(ctx context.Context, a Asker, holders []Holder, reason string) error {
	at := store.Now()
	if len(holders) == 0 {
		if err := g.recordAt(ctx, a, nil, false, reason, at); err != nil {
			return err
		}
		return ErrDenied
	}
	for i := range holders {
		if err := g.recordAt(ctx, a, &holders[i], false, reason, at); err != nil {
			return err
		}
	}
	return ErrDenied
}

// record stores one attempt now.
func (g *Gate) record(ctx context.Context, a Asker, h *Holder, ok bool, reason string) error {
	return g.recordAt(ctx, a, h, ok, reason, store.Now())
}

// recordAt stores one attempt; it fails the request when it cannot be
// stored, so that the throttle never counts less than happened.
func (g *Gate) recordAt(ctx context.Context, a Asker, h *Holder, ok bool, reason string, now time.Time) error {
	at := &Attempt{AgencyID: a.AgencyID, Kind: a.Kind, Email: a.Email, IP: a.IP, Addr: Addr(a.IP), Host: a.Host,
		Success: ok, Reason: reason, CreatedAt: now}
	if h != nil {
		at.AgencyID, at.WorkspaceID, at.AccountID = h.AgencyID, h.WorkspaceID, h.ID
	}
	if err := g.store.RecordAttempt(ctx, at); err != nil {
		return fmt.Errorf("auth: gate: %w", err)
	}
	return nil
}
