package access

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"workrate/auth"
	"workrate/store"
	"workrate/tenant"
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
// of the account. Bad input is a *FieldError; a full hashing pool is auth.ErrBusy.
func (s *Service) Save(ctx context.Context, agency tenant.Agency, workspaceID string, actor Actor, in Input) (*Result, error) {
	var email string
	if in.LoginEmail != nil && strings.TrimSpace(*in.LoginEmail) != "" {
		e, err := auth.NormalizeEmail(*in.LoginEmail)
		if err != nil {
			return nil, &FieldError{Field: "login_email", Code: "access.error.email_invalid"}
		}
		email = e
	}
	var tools []string
	if in.Tools != nil {
		t, err := normalizeTools(*in.Tools)
		if err != nil {
			return nil, err
		}
		tools = t
	}
	if in.TwoFactor != nil && !auth.ValidTOTPMode(*in.TwoFactor) {
		return nil, &FieldError{Field: "two_factor", Code: "twofactor.error.mode"}
	}
	password, generated := in.TemporaryPassword, false
	switch {
	case in.GeneratePassword:
		p, err := auth.GenerateTemporaryPassword()
		if err != nil {
			return nil, err
		}
		password, generated = p, true
	case password != "":
		if err := auth.ValidateNewPassword(password); err != nil {
			var pe *auth.PolicyError
			if errors.As(err, &pe) {
				return nil, &FieldError{Field: "temporary_password", Code: "access." + pe.Code}
			}
			return nil, err
		}
	}
	if password != "" && !in.Enabled {
		return nil, &FieldError{Field: "temporary_password", Code: "access.error.password_while_disabled"}
	}

	current, err := s.auth.PortalAccountOf(ctx, agency.ID, workspaceID)
	if err != nil && !isNotFound(err) {
		return nil, wrap("load account", err)
	}
	if current == nil && !in.Enabled && email == "" {
		return &Result{}, nil // nothing to create
	}
	if in.LoginEmail != nil && email == "" || current == nil && email == "" {
		return nil, &FieldError{Field: "login_email", Code: "access.error.email_required"}
	}
	if password == "" && in.Enabled && (current == nil || !current.Enabled) {
		return nil, &FieldError{Field: "temporary_password", Code: "access.error.password_required"}
	}
	if email != "" && (current == nil || email != current.LoginEmail) {
		other, err := s.auth.PortalAccountByEmail(ctx, agency.ID, email)
		switch {
		case err == nil && (current == nil || other.ID != current.ID):
			return nil, &FieldError{Field: "login_email", Code: "access.error.email_taken"}
		case err != nil && !isNotFound(err):
			return nil, wrap("check email", err)
		}
	}

	// Hash before the transaction: it is the slow part, and the pool may refuse.
	var hash string
	if password != "" {
		if hash, err = s.pool.Hash(password); err != nil {
			return nil, err
		}
	}

	res := &Result{}
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		as := auth.NewStore(tx)
		a, err := as.PortalAccountOf(ctx, agency.ID, workspaceID)
		if err != nil && !isNotFound(err) {
			return err
		}
		now := store.Now()
		var events []auth.PortalEvent
		event := func(action, detail string) {
			// A microsecond apart, so that the audit list keeps the order of one save.
			at := now.Add(time.Duration(len(events)) * time.Microsecond)
			events = append(events, auth.PortalEvent{AgencyID: agency.ID, WorkspaceID: workspaceID,
				ActorKind: actor.Kind, ActorID: actor.ID, ActorName: actor.Name, Action: action, Detail: detail, CreatedAt: at})
		}
		created := a == nil
		if created {
			a = &auth.PortalAccount{AgencyID: agency.ID, WorkspaceID: workspaceID, LoginEmail: email,
				Enabled: in.Enabled, Tools: strings.Join(tools, ","), MustChangePassword: true}
			event(ActionCreated, email)
			if in.Enabled {
				event(ActionEnabled, "")
			}
			if len(tools) > 0 {
				event(ActionToolsChanged, strings.Join(tools, ", "))
			}
			a.TOTPMode = auth.TOTPOff
			if in.TwoFactor != nil && *in.TwoFactor != auth.TOTPOff {
				a.TOTPMode = *in.TwoFactor
				event(ActionTwoFactorMode, a.TOTPMode)
			}
		}
		var cols []string
		end := false
		if !created {
			if email != "" && email != a.LoginEmail {
				event(ActionEmailChanged, a.LoginEmail+" → "+email)
				a.LoginEmail = email
				cols = append(cols, "login_email")
				end = true
			}
			if in.Enabled != a.Enabled {
				a.Enabled = in.Enabled
				cols = append(cols, "enabled")
				if in.Enabled {
					event(ActionEnabled, "")
				} else {
					event(ActionDisabled, "")
					end = true
				}
			}
			if in.Tools != nil && strings.Join(tools, ",") != a.Tools {
				event(ActionToolsChanged, toolsDetail(a.Tools)+" → "+strings.Join(tools, ", "))
				a.Tools = strings.Join(tools, ",")
				cols = append(cols, "tools")
			}
			if in.TwoFactor != nil && *in.TwoFactor != a.TOTPMode {
				a.TOTPMode = *in.TwoFactor
				event(ActionTwoFactorMode, a.TOTPMode)
				cols = append(cols, "totp_mode")
			}
		}
		if hash != "" {
			a.PasswordHash, a.PasswordSetAt = hash, &now
			a.MustChangePassword = !in.Permanent
			a.PasswordExpiresAt = nil
			if !in.Permanent {
				exp := now.Add(s.cfg.TempPasswordTTL)
				a.PasswordExpiresAt = &exp
			}
			cols = append(cols, "password_hash", "password_set_at", "must_change_password", "password_expires_at")
			detail := "typed"
			if generated {
				detail = "generated"
			}
			if in.Permanent {
				detail = "permanent"
			}
			event(ActionPasswordSet, detail)
			end = true
			if !created && a.TOTPEnabled {
				// No self-service reset exists: the agency's new password is
				// the way back in, so the client enrols again.
				if err := as.ResetTOTP(ctx, auth.TOTPSubject{Kind: auth.KindClient, AgencyID: a.AgencyID, ID: a.ID}); err != nil {
					return err
				}
				a.TOTPEnabled = false
				event(ActionTwoFactorReset, "")
			}
		}
		if created {
			if err := as.CreatePortalAccount(ctx, a); err != nil {
				return err
			}
		} else if end {
			if err := endSessions(ctx, as, a); err != nil {
				return err
			}
			cols = append(cols, "session_version")
		}
		if !created && len(cols) > 0 {
			if err := as.UpdatePortalAccount(ctx, a, cols...); err != nil {
				return err
			}
		}
		for i := range events {
			if err := as.RecordPortalEvent(ctx, &events[i]); err != nil {
				return err
			}
			res.Changes = append(res.Changes, events[i].Action)
		}
		res.Account = a
		return nil
	})
	if errors.Is(err, store.ErrConflict) {
		return nil, &FieldError{Field: "login_email", Code: "access.error.email_taken"}
	}
	if err != nil {
		return nil, wrap("save portal access", err)
	}
	if password != "" {
		res.TemporaryPassword = password
		res.Onboarding = s.Onboarding(agency, res.Account, password)
	}
	return res, nil
}

// toolsDetail shows a stored tool list in an audit detail.
func toolsDetail(csv string) string {
	if csv == "" {
		return "—"
	}
	return strings.ReplaceAll(csv, ",", ", ")
}
