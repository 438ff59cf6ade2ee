package auth

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"workrate/event"
	"workrate/store"
)

// PortalAccount is a client's login to one workspace of one agency. Tools is
// the comma-separated list of tools the client may open, as
// workspace.FormatTools writes it (read it with workspace.ParseTools).
type PortalAccount struct {
	bun.BaseModel `bun:"table:portal_accounts"`

	ID                 string     `bun:"id,pk"`
	AgencyID           string     `bun:"agency_id"`
	WorkspaceID        string     `bun:"workspace_id"`
	LoginEmail         string     `bun:"login_email"`
	PasswordHash       string     `bun:"password_hash"`
	MustChangePassword bool       `bun:"must_change_password"`
	PasswordSetAt      *time.Time `bun:"password_set_at"`
	PasswordExpiresAt  *time.Time `bun:"password_expires_at"`
	Enabled            bool       `bun:"enabled"`
	Tools              string     `bun:"tools"`
	SessionVersion     int        `bun:"session_version"`
	Language           string     `bun:"language"`
	TOTPMode           string     `bun:"totp_mode"` // TOTPOff, TOTPOptional or TOTPRequired
	TOTPEnabled        bool       `bun:"totp_enabled"`
	LastLoginAt        *time.Time `bun:"last_login_at"`
	CreatedAt          time.Time  `bun:"created_at"`
	UpdatedAt          time.Time  `bun:"updated_at"`
}

// PasswordExpired reports whether the account's temporary password no longer works at now.
func (p *PortalAccount) PasswordExpired(now time.Time) bool {
	return p.MustChangePassword && p.PasswordExpiresAt != nil && !now.Before(*p.PasswordExpiresAt)
}

// CreatePortalAccount inserts a; a login email taken in the agency, or a
// second account for the workspace, is store.ErrConflict.
func (s *Store) CreatePortalAccount(ctx context.Context, a *PortalAccount) error {
	now := store.Now()
	if a.ID == "" {
		a.ID = store.NewID()
	}
	if a.SessionVersion == 0 {
		a.SessionVersion = 1
	}
	if a.TOTPMode == "" {
		a.TOTPMode = TOTPOff
	}
	a.CreatedAt, a.UpdatedAt = now, now
	if _, err := s.db.NewInsert().Model(a).Exec(ctx); err != nil {
		return fmt.Errorf("auth: create portal account: %w", store.Translate(err))
	}
	return nil
}

// UpdatePortalAccount saves the named columns of a (and updated_at); a taken
// login email is store.ErrConflict.
func (s *Store) UpdatePortalAccount(ctx context.Context, a *PortalAccount, columns ...string) error {
	a.UpdatedAt = store.Now()
	res, err := s.db.NewUpdate().Model(a).Column(append(columns, "updated_at")...).
		Where("agency_id = ? AND id = ?", a.AgencyID, a.ID).Exec(ctx)
	if err != nil {
		return fmt.Errorf("auth: update portal account: %w", store.Translate(err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("auth: update portal account %s: %w", a.ID, store.ErrNotFound)
	}
	return nil
}

// PortalAccountOf returns the portal account of a workspace.
func (s *Store) PortalAccountOf(ctx context.Context, agencyID, workspaceID string) (*PortalAccount, error) {
	a := new(PortalAccount)
	err := s.db.NewSelect().Model(a).Where("agency_id = ? AND workspace_id = ?", agencyID, workspaceID).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("auth: portal account of workspace %s: %w", workspaceID, store.Translate(err))
	}
	return a, nil
}

// PortalAccountByID returns the agency's portal account with that id.
func (s *Store) PortalAccountByID(ctx context.Context, agencyID, id string) (*PortalAccount, error) {
	a := new(PortalAccount)
	if err := s.db.NewSelect().Model(a).Where("agency_id = ? AND id = ?", agencyID, id).Scan(ctx); err != nil {
		return nil, fmt.Errorf("auth: portal account %s: %w", id, store.Translate(err))
	}
	return a, nil
}

// PortalAccountByEmail returns the agency's portal account with that login
// email (compared trimmed and case-insensitively).
func (s *Store) PortalAccountByEmail(ctx context.Context, agencyID, email string) (*PortalAccount, error) {
	a := new(PortalAccount)
	err := s.db.NewSelect().Model(a).
		Where("agency_id = ? AND login_email = ?", agencyID, strings.ToLower(strings.TrimSpace(email))).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("auth: portal account by email: %w", store.Translate(err))
	}
	return a, nil
}

// PortalAccountsByEmailAnyAgency returns, oldest first, at most limit portal
// accounts with that login email across agencies (sign-in on the platform host).
func (s *Store) PortalAccountsByEmailAnyAgency(ctx context.Context, email string, limit int) ([]PortalAccount, error) {
	var out []PortalAccount
	err := s.db.NewSelect().Model(&out).Where("login_email = ?", strings.ToLower(strings.TrimSpace(email))).
		Order("created_at", "id").Limit(int64(limit)).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("auth: portal accounts by email: %w", store.Translate(err))
	}
	return out, nil
}

// RecordPortalLogin notes a successful sign-in at now.
func (s *Store) RecordPortalLogin(ctx context.Context, agencyID, id string, now time.Time) error {
	_, err := s.db.NewUpdate().Model((*PortalAccount)(nil)).Set("last_login_at = ?", now).
		Where("agency_id = ? AND id = ?", agencyID, id).Exec(ctx)
	if err != nil {
		return fmt.Errorf("auth: record portal login: %w", store.Translate(err))
	}
	return nil
}

// SetPortalLanguage saves the client's language choice.
func (s *Store) SetPortalLanguage(ctx context.Context, agencyID, id, lang string) error {
	_, err := s.db.NewUpdate().Model((*PortalAccount)(nil)).Set("language = ?", lang).
		Where("agency_id = ? AND id = ?", agencyID, id).Exec(ctx)
	if err != nil {
		return fmt.Errorf("auth: set portal language: %w", store.Translate(err))
	}
	return nil
}

// PortalEvent is one change to a workspace's portal access (who, when, what),
// kept for the agency's audit list. It never holds a password.
type PortalEvent struct {
	bun.BaseModel `bun:"table:portal_events"`

	ID          string    `bun:"id,pk"`
	AgencyID    string    `bun:"agency_id"`
	WorkspaceID string    `bun:"workspace_id"`
	ActorKind   string    `bun:"actor_kind"`
	ActorID     string    `bun:"actor_id"`
	ActorName   string    `bun:"actor_name"`
	Action      string    `bun:"action"`
	Detail      string    `bun:"detail"`
	CreatedAt   time.Time `bun:"created_at"`
}

// RecordPortalEvent stores an audit event and its row of the event stream;
// s must be the transaction of the change it records.
func (s *Store) RecordPortalEvent(ctx context.Context, e *PortalEvent) error {
	e.ID = store.NewID()
	if e.CreatedAt.IsZero() {
		e.CreatedAt = store.Now()
	}
	if _, err := s.db.NewInsert().Model(e).Exec(ctx); err != nil {
		return fmt.Errorf("auth: record portal event: %w", store.Translate(err))
	}
	return event.Write(ctx, s.db, &event.Event{
		AgencyID: e.AgencyID, WorkspaceID: e.WorkspaceID, Kind: portalEventKind(e.Action),
		Audience: event.AudienceStaff, ActorKind: e.ActorKind, ActorID: e.ActorID, ActorName: e.ActorName,
		SubjectType: "portal", SubjectID: e.WorkspaceID,
	}, map[string]string{"action": e.Action, "detail": e.Detail})
}

// portalEventKind names the stream's kind of an access change (the actions
// of the access package: created, disabled, password_set, two_factor_reset…).
func portalEventKind(action string) string {
	switch action {
	case "created":
		return event.KindPortalCreated
	case "disabled":
		return event.KindPortalRevoked
	case "password_set", "two_factor_reset":
		return event.KindPortalReset
	}
	return event.KindPortalChanged
}

// PortalEventsOf lists a workspace's portal audit events, newest first.
func (s *Store) PortalEventsOf(ctx context.Context, agencyID, workspaceID string, limit int) ([]PortalEvent, error) {
	var out []PortalEvent
	err := s.db.NewSelect().Model(&out).Where("agency_id = ? AND workspace_id = ?", agencyID, workspaceID).
		Order("created_at DESC", "id DESC").Limit(int64(limit)).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("auth: portal events: %w", store.Translate(err))
	}
	return out, nil
}
