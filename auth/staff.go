package auth

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"workrate/mailaddr"
	"workrate/store"
)

// Staff roles: owners manage staff and settings, admins manage settings and
// portal access, members run client work.
const (
	RoleOwner  = "owner"
	RoleAdmin  = "admin"
	RoleMember = "member"
)

// ValidRole reports whether r is a staff role.
func ValidRole(r string) bool { return r == RoleOwner || r == RoleAdmin || r == RoleMember }

// ErrInvalidEmail means an address is not a plain email address.
var ErrInvalidEmail = mailaddr.ErrInvalid

// NormalizeEmail trims and lowercases an address and checks its shape, so that
// comparisons are exact and case-insensitive (see mailaddr.Normalize).
func NormalizeEmail(s string) (string, error) { return mailaddr.Normalize(s) }

// Staff is a member of an agency's team.
type Staff struct {
	bun.BaseModel `bun:"table:staff_users"`

	ID             string     `bun:"id,pk" json:"id"`
	AgencyID       string     `bun:"agency_id" json:"-"`
	Email          string     `bun:"email" json:"email"`
	Name           string     `bun:"name" json:"name"`
	Role           string     `bun:"role" json:"role"`
	PasswordHash   string     `bun:"password_hash" json:"-"`
	Language       string     `bun:"language" json:"language,omitempty"`
	TOTPSecret     []byte     `bun:"totp_secret" json:"-"`
	TOTPEnabled    bool       `bun:"totp_enabled" json:"totp_enabled"`
	TOTPLastStep   int64      `bun:"totp_last_step" json:"-"`
	SessionVersion int        `bun:"session_version" json:"-"`
	Disabled       bool       `bun:"disabled" json:"disabled"`
	LastLoginAt    *time.Time `bun:"last_login_at" json:"last_login_at,omitempty"`
	CreatedAt      time.Time  `bun:"created_at" json:"created_at"`
	UpdatedAt      time.Time  `bun:"updated_at" json:"updated_at"`
}

// CanManage reports whether the staff member may change agency settings and portal access.
func (s *Staff) CanManage() bool { return s.Role == RoleOwner || s.Role == RoleAdmin }

// MayPreview reports whether the staff member may look at a client's portal:
// a manager, enrolled in two-factor sign-in where the agency requires it.
// A preview ends at the next request when this stops being true.
func (s *Staff) MayPreview(agencyRequiresTOTP bool) bool {
	return s.CanManage() && (s.TOTPEnabled || !agencyRequiresTOTP)
}

// Store reads and writes accounts, sessions and login attempts.
type Store struct {
	db bun.IDB
}

// NewStore returns a Store on db.
func NewStore(db bun.IDB) *Store { return &Store{db: db} }

// DB returns the store's database handle (for transactions spanning stores).
func (s *Store) DB() bun.IDB { return s.db }

// CreateStaff adds a staff member with an already hashed password; a taken
// email in the agency is store.ErrConflict.
func (s *Store) CreateStaff(ctx context.Context, agencyID, email, name, role, passwordHash string) (*Staff, error) {
	email, err := NormalizeEmail(email)
	if err != nil {
		return nil, err
	}
	if !ValidRole(role) {
		return nil, fmt.Errorf("auth: unknown role %q", role)
	}
	name = strings.TrimSpace(name)
	if name == "" {
		name = email[:strings.IndexByte(email, '@')]
	}
	now := store.Now()
	st := &Staff{ID: store.NewID(), AgencyID: agencyID, Email: email, Name: name, Role: role,
		PasswordHash: passwordHash, SessionVersion: 1, CreatedAt: now, UpdatedAt: now}
	if _, err := s.db.NewInsert().Model(st).Exec(ctx); err != nil {
		return nil, fmt.Errorf("auth: create staff %s: %w", email, store.Translate(err))
	}
	return st, nil
}

// StaffByEmail returns the agency's staff member with that email.
func (s *Store) StaffByEmail(ctx context.Context, agencyID, email string) (*Staff, error) {
	st := new(Staff)
	err := s.db.NewSelect().Model(st).Where("agency_id = ? AND email = ?", agencyID, strings.ToLower(strings.TrimSpace(email))).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("auth: staff by email: %w", store.Translate(err))
	}
	return st, nil
}

// StaffByEmailAnyAgency returns every staff account with that email across
// agencies (for sign-in on the platform host), at most limit.
func (s *Store) StaffByEmailAnyAgency(ctx context.Context, email string, limit int) ([]Staff, error) {
	var out []Staff
	err := s.db.NewSelect().Model(&out).Where("email = ?", strings.ToLower(strings.TrimSpace(email))).
		Order("created_at").Limit(int64(limit)).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("auth: staff by email: %w", store.Translate(err))
	}
	return out, nil
}

// StaffByID returns the agency's staff member with that id.
func (s *Store) StaffByID(ctx context.Context, agencyID, id string) (*Staff, error) {
	st := new(Staff)
	if err := s.db.NewSelect().Model(st).Where("agency_id = ? AND id = ?", agencyID, id).Scan(ctx); err != nil {
		return nil, fmt.Errorf("auth: staff %s: %w", id, store.Translate(err))
	}
	return st, nil
}
