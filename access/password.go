package access

import (
	"context"
	"errors"

	"github.com/uptrace/bun"

	"workrate/auth"
	"workrate/field"
	"workrate/store"
)

// PasswordChange is a client's change of their own password. Current is
// required unless the account must change its temporary password (the client
// has just proved it by signing in).
type PasswordChange struct {
	Current string
	New     string
	Confirm string
}

// validateChange checks a password change's fields before any hashing.
func validateChange(in PasswordChange) error {
	if err := auth.CheckLength(in.Current); err != nil {
		return field.New("current_password", field.CurrentWrong)
	}
	if err := auth.ValidateNewPassword(in.New); err != nil {
		if fe := field.As(err); fe != nil {
			return fe.In("new_password")
		}
		return err
	}
	if in.New != in.Confirm {
		return field.New("confirm_password", field.PasswordMismatch)
	}
	return nil
}

// ChangePassword sets the client's own password: it must follow the policy,
// match its confirmation and differ from the temporary one. It ends every
// session of the account (the caller starts a new one with the returned
// account) and records the change. The current password goes through the
// gate as asker (throttled, recorded). Bad input is a *field.Error; a full
// pool is auth.ErrBusy; too many wrong current passwords *auth.ThrottledError.
func (s *Service) ChangePassword(ctx context.Context, a *auth.PortalAccount, in PasswordChange, asker auth.Asker) (*auth.PortalAccount, error) {
	if err := validateChange(in); err != nil {
		return nil, err
	}
	holder := clientHolder(a, store.Now())
	holder.Refusal = ""
	if !a.MustChangePassword {
		// Throttled, one at a time and recorded, like a sign-in.
		err := s.gate.Current(ctx, asker, holder, in.Current)
		if errors.Is(err, auth.ErrDenied) {
			return nil, field.New("current_password", field.CurrentWrong)
		}
		if err != nil {
			return nil, err
		}
	} else {
		// The temporary password was seen by others: the client's own must differ.
		same, err := s.gate.Reused(holder, in.New)
		if err != nil {
			return nil, err
		}
		if same {
			return nil, field.New("new_password", field.PasswordSame)
		}
	}
	hash, err := s.pool.Hash(in.New)
	if err != nil {
		return nil, err
	}
	var out *auth.PortalAccount
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		as := auth.NewStore(tx)
		cur, err := as.PortalAccountByID(ctx, a.AgencyID, a.ID)
		if err != nil {
			return err
		}
		if cur.SessionVersion != a.SessionVersion || !cur.Enabled {
			// Access changed meanwhile (revoked, reset): the caller's session is over.
			return store.ErrNotFound
		}
		now := store.Now()
		cur.PasswordHash, cur.PasswordSetAt, cur.PasswordExpiresAt, cur.MustChangePassword = hash, &now, nil, false
		if err := endSessions(ctx, as, cur); err != nil {
			return err
		}
		if err := as.UpdatePortalAccount(ctx, cur, "password_hash", "password_set_at", "password_expires_at",
			"must_change_password", "session_version"); err != nil {
			return err
		}
		out = cur
		return as.RecordPortalEvent(ctx, &auth.PortalEvent{AgencyID: cur.AgencyID, WorkspaceID: cur.WorkspaceID,
			ActorKind: ActorClient, ActorID: cur.ID, ActorName: cur.LoginEmail, Action: ActionPasswordChanged, CreatedAt: now})
	})
	if err != nil {
		return nil, wrap("change password", err)
	}
	// So that the platform host finds the account at its constant cost.
	if err := s.gate.Tag(ctx, clientHolder(out, store.Now()), out.LoginEmail, in.New); err != nil && !errors.Is(err, auth.ErrBusy) {
		return nil, err
	}
	return out, nil
}
