package access

import (
	"context"
	"errors"
	"strings"

	"github.com/uptrace/bun"

	"workrate/auth"
	"workrate/field"
	"workrate/store"
	"workrate/tenant"
	"workrate/workspace"
)

// Input is one save of the Client Portal section. A nil LoginEmail or Tools
// keeps the current value.
type Input struct {
	Enabled           bool
	LoginEmail        *string
	TemporaryPassword string // typed by staff; checked against the password policy
	GeneratePassword  bool   // generate a random temporary password instead
	Tools             *[]string
	// TwoFactor is the client's two-factor mode (auth.TOTPOff, TOTPOptional or
	// TOTPRequired); nil keeps the current one.
	TwoFactor *string
	// Permanent sets the password as the client's own (no change asked, no
	// expiry). Only the demo command uses it, so that its printed login keeps working.
	Permanent bool
}

// Result is what a save did.
type Result struct {
	Account *auth.PortalAccount // nil when no account exists (nothing was saved)
	// TemporaryPassword is the password set by this save, in clear, to be shown
	// once; it is never stored or logged. Empty when no password was set.
	TemporaryPassword string
	Onboarding        string   // the message to send the client; set with TemporaryPassword
	Changes           []string // the audit actions recorded
}

// Audit actions recorded in portal_events.
const (
	ActionCreated         = "created"
	ActionEnabled         = "enabled"
	ActionDisabled        = "disabled"
	ActionEmailChanged    = "email_changed"
	ActionPasswordSet     = "password_set"
	ActionToolsChanged    = "tools_changed"
	ActionPasswordChanged = "password_changed" // by the client
	ActionTwoFactorMode   = "two_factor_mode"  // detail: the new mode
	ActionTwoFactorReset  = "two_factor_reset" // with a new temporary password
	ActionTwoFactorOn     = "two_factor_on"    // by the client
	ActionTwoFactorOff    = "two_factor_off"   // by the client
)

// Save applies in to the portal access of a workspace of agency, as actor.
// Creating or enabling an account needs a login email and a new temporary
// password; a new password, a changed email or revocation end every session
// of the account. Bad input is a *field.Error; a full hashing pool is auth.ErrBusy.
//
// The steps: check the input alone (checkInput), then against the stored
// account (checkAgainst), hash the password, apply the change and record it
// in one transaction (apply), and build the onboarding message.
func (s *Service) Save(ctx context.Context, agency tenant.Agency, workspaceID string, actor Actor, in Input) (*Result, error) {
	ch, err := checkInput(in)
	if err != nil {
		return nil, err
	}
	current, err := s.auth.PortalAccountOf(ctx, agency.ID, workspaceID)
	if err != nil && !isNotFound(err) {
		return nil, wrap("load account", err)
	}
	if current == nil && !in.Enabled && ch.email == "" {
		return &Result{}, nil // nothing to create
	}
	if err := s.checkAgainst(ctx, agency.ID, current, ch); err != nil {
		return nil, err
	}
	// Hash before the transaction: it is the slow part, and the pool may refuse.
	if ch.password != "" {
		if ch.hash, err = s.pool.Hash(ch.password); err != nil {
			return nil, err
		}
	}
	res, err := s.apply(ctx, agency.ID, workspaceID, actor, ch)
	if errors.Is(err, store.ErrConflict) {
		return nil, field.New("login_email", field.EmailTaken)
	}
	if err != nil {
		return nil, wrap("save portal access", err)
	}
	if ch.password != "" {
		// So that the platform host finds the account at its constant cost
		// from its first sign-in there (auth/gate_tag.go).
		if err := s.gate.Tag(ctx, clientHolder(res.Account, store.Now()), res.Account.LoginEmail, ch.password); err != nil && !errors.Is(err, auth.ErrBusy) {
			return nil, wrap("sign-in tag", err)
		}
		res.TemporaryPassword = ch.password
		res.Onboarding = s.Onboarding(agency, res.Account, ch.password)
	}
	return res, nil
}

// change is an Input checked on its own: what one save asks for.
type change struct {
	in        Input
	email     string           // normalized; "" when none was given
	tools     []workspace.Tool // canonical; meaningful only when in.Tools is set
	password  string           // the new password in clear; "" for none
	generated bool             // the password was generated, not typed
	hash      string           // the password's hash, once computed
}

// checkInput checks what in says on its own: the email's shape, the tool
// names, the two-factor mode and the password policy, and generates the
// password when asked to.
func checkInput(in Input) (*change, error) {
	ch := &change{in: in, password: in.TemporaryPassword}
	if in.LoginEmail != nil && strings.TrimSpace(*in.LoginEmail) != "" {
		e, err := auth.NormalizeEmail(*in.LoginEmail)
		if err != nil {
			return nil, field.New("login_email", field.InvalidEmail)
		}
		ch.email = e
	}
	if in.Tools != nil {
		tools, ok := workspace.ParseToolNames(*in.Tools)
		if !ok {
			return nil, field.New("tools", field.InvalidChoice)
		}
		ch.tools = tools
	}
	if in.TwoFactor != nil && !auth.ValidTOTPMode(*in.TwoFactor) {
		return nil, field.New("two_factor", field.InvalidChoice)
	}
	switch {
	case in.GeneratePassword:
		p, err := auth.GenerateTemporaryPassword()
		if err != nil {
			return nil, err
		}
		ch.password, ch.generated = p, true
	case ch.password != "":
		if err := auth.ValidateNewPassword(ch.password); err != nil {
			if fe := field.As(err); fe != nil {
				return nil, fe.In("temporary_password")
			}
			return nil, err
		}
	}
	if ch.password != "" && !in.Enabled {
		return nil, field.New("temporary_password", field.PasswordDisabled)
	}
	return ch, nil
}

// checkAgainst checks the change against the stored account (nil: none):
// an account needs an email, enabling one needs a new password, and the
// email must be free in the agency.
func (s *Service) checkAgainst(ctx context.Context, agencyID string, current *auth.PortalAccount, ch *change) error {
	if ch.in.LoginEmail != nil && ch.email == "" || current == nil && ch.email == "" {
		return field.New("login_email", field.Required)
	}
	if ch.password == "" && ch.in.Enabled && (current == nil || !current.Enabled) {
		return field.New("temporary_password", field.PasswordRequired)
	}
	if ch.email == "" || current != nil && ch.email == current.LoginEmail {
		return nil
	}
	other, err := s.auth.PortalAccountByEmail(ctx, agencyID, ch.email)
	switch {
	case err == nil && (current == nil || other.ID != current.ID):
		return field.New("login_email", field.EmailTaken)
	case err != nil && !isNotFound(err):
		return wrap("check email", err)
	}
	return nil
}

// apply writes the change and its audit events in one transaction, reading
// the account again inside it.
func (s *Service) apply(ctx context.Context, agencyID, workspaceID string, actor Actor, ch *change) (*Result, error) {
	res := &Result{}
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		as := auth.NewStore(tx)
		a, err := as.PortalAccountOf(ctx, agencyID, workspaceID)
		if err != nil && !isNotFound(err) {
			return err
		}
		e := &edit{a: a, actor: actor, now: store.Now(), agencyID: agencyID, workspaceID: workspaceID}
		if a == nil {
			err = s.create(ctx, as, e, ch)
		} else {
			err = s.update(ctx, as, e, ch)
		}
		if err != nil {
			return err
		}
		if res.Changes, err = e.record(ctx, as); err != nil {
			return err
		}
		res.Account = e.a
		return nil
	})
	return res, err
}

// create makes a new account from the change.
func (s *Service) create(ctx context.Context, as *auth.Store, e *edit, ch *change) error {
	in := ch.in
	e.a = &auth.PortalAccount{AgencyID: e.agencyID, WorkspaceID: e.workspaceID, LoginEmail: ch.email,
		Enabled: in.Enabled, Tools: workspace.FormatTools(ch.tools), MustChangePassword: true, TOTPMode: auth.TOTPOff}
	e.event(ActionCreated, ch.email)
	if in.Enabled {
		e.event(ActionEnabled, "")
	}
	if len(ch.tools) > 0 {
		e.event(ActionToolsChanged, joinTools(ch.tools))
	}
	if in.TwoFactor != nil && *in.TwoFactor != auth.TOTPOff {
		e.setTwoFactor(*in.TwoFactor)
	}
	if ch.hash != "" {
		e.setPassword(ch, s.cfg.TempPasswordTTL)
	}
	return as.CreatePortalAccount(ctx, e.a)
}

// update changes an existing account as the change says, ending its
// sessions when the change calls for it.
func (s *Service) update(ctx context.Context, as *auth.Store, e *edit, ch *change) error {
	in := ch.in
	if ch.email != "" {
		e.setEmail(ch.email)
	}
	e.setEnabled(in.Enabled)
	if in.Tools != nil {
		e.setTools(ch.tools)
	}
	if in.TwoFactor != nil && *in.TwoFactor != e.a.TOTPMode {
		e.setTwoFactor(*in.TwoFactor)
		e.cols = append(e.cols, "totp_mode")
	}
	if ch.hash != "" {
		e.setPassword(ch, s.cfg.TempPasswordTTL)
		if err := e.resetTwoFactor(ctx, as); err != nil {
			return err
		}
	}
	if e.end {
		if err := endSessions(ctx, as, e.a); err != nil {
			return err
		}
		e.cols = append(e.cols, "session_version")
	}
	if len(e.cols) == 0 {
		return nil
	}
	return as.UpdatePortalAccount(ctx, e.a, e.cols...)
}
