package access

import (
	"context"
	"strings"
	"time"

	"workrate/auth"
	"workrate/workspace"
)

// edit is one save's work on an account: it changes the account's fields,
// collects the columns to write and the audit events, and notes whether the
// change ends the account's sessions. Each set… method is one kind of change.
type edit struct {
	a                     *auth.PortalAccount
	actor                 Actor
	now                   time.Time
	agencyID, workspaceID string

	cols   []string // columns changed (for an update)
	end    bool     // the change ends every session of the account
	events []auth.PortalEvent
}

// event adds an audit event of the edit.
func (e *edit) event(action, detail string) {
	// A microsecond apart, so that the audit list keeps the order of one save.
	at := e.now.Add(time.Duration(len(e.events)) * time.Microsecond)
	e.events = append(e.events, auth.PortalEvent{AgencyID: e.agencyID, WorkspaceID: e.workspaceID,
		ActorKind: e.actor.Kind, ActorID: e.actor.ID, ActorName: e.actor.Name, Action: action, Detail: detail, CreatedAt: at})
}

// setEmail changes the login email; a new address ends the sessions.
func (e *edit) setEmail(email string) {
	if email == e.a.LoginEmail {
		return
	}
	e.event(ActionEmailChanged, e.a.LoginEmail+" → "+email)
	e.a.LoginEmail = email
	e.cols = append(e.cols, "login_email")
	e.end = true
}

// setEnabled enables or revokes the account; revoking ends the sessions.
func (e *edit) setEnabled(on bool) {
	if on == e.a.Enabled {
		return
	}
	e.a.Enabled = on
	e.cols = append(e.cols, "enabled")
	if on {
		e.event(ActionEnabled, "")
		return
	}
	e.event(ActionDisabled, "")
	e.end = true
}

// setTools changes the tools the client may open (sessions go on); tools
// are in canonical order, as checkInput gives them.
func (e *edit) setTools(tools []workspace.Tool) {
	stored := workspace.FormatTools(tools)
	if stored == e.a.Tools {
		return
	}
	e.event(ActionToolsChanged, toolsDetail(workspace.ParseTools(e.a.Tools))+" → "+joinTools(tools))
	e.a.Tools = stored
	e.cols = append(e.cols, "tools")
}

// setTwoFactor sets the client's two-factor mode.
func (e *edit) setTwoFactor(mode string) {
	e.a.TOTPMode = mode
	e.event(ActionTwoFactorMode, mode)
}

// setPassword sets the change's hashed password: temporary (it expires after
// ttl and must be changed) unless the input says permanent. It ends the
// sessions.
func (e *edit) setPassword(ch *change, ttl time.Duration) {
	now := e.now
	e.a.PasswordHash, e.a.PasswordSetAt = ch.hash, &now
	e.a.MustChangePassword = !ch.in.Permanent
	e.a.PasswordExpiresAt = nil
	detail := "typed"
	if ch.generated {
		detail = "generated"
	}
	if ch.in.Permanent {
		detail = "permanent"
	} else {
		exp := now.Add(ttl)
		e.a.PasswordExpiresAt = &exp
	}
	e.cols = append(e.cols, "password_hash", "password_set_at", "must_change_password", "password_expires_at")
	e.event(ActionPasswordSet, detail)
	e.end = true
}

// resetTwoFactor removes the client's authenticator after a new password:
// no self-service reset exists, so the agency's new password is the way back
// in and the client enrols again.
func (e *edit) resetTwoFactor(ctx context.Context, as *auth.Store) error {
	if !e.a.TOTPEnabled {
		return nil
	}
	if err := as.ResetTOTP(ctx, auth.TOTPSubject{Kind: auth.KindClient, AgencyID: e.a.AgencyID, ID: e.a.ID}); err != nil {
		return err
	}
	e.a.TOTPEnabled = false
	e.event(ActionTwoFactorReset, "")
	return nil
}

// record writes the edit's audit events and returns their actions.
func (e *edit) record(ctx context.Context, as *auth.Store) ([]string, error) {
	var actions []string
	for i := range e.events {
		if err := as.RecordPortalEvent(ctx, &e.events[i]); err != nil {
			return nil, err
		}
		actions = append(actions, e.events[i].Action)
	}
	return actions, nil
}

// joinTools shows tools in an audit detail.
func joinTools(tools []workspace.Tool) string {
	return strings.Join(workspace.ToolNames(tools), ", ")
}

// toolsDetail shows a previous tool list in an audit detail ("—" for none).
func toolsDetail(tools []workspace.Tool) string {
	if len(tools) == 0 {
		return "—"
	}
	return joinTools(tools)
}
