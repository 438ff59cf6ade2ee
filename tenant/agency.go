// Package tenant holds agencies and their hosts, the resolver that maps a
// request's Host to one of them, and the middleware that puts it on the request.
package tenant

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"workrate/store"
)

// Agency statuses.
const (
	StatusActive    = "active"
	StatusSuspended = "suspended"
)

// Agency is a tenant: one agency and its settings.
type Agency struct {
	bun.BaseModel `bun:"table:agencies"`

	ID               string    `bun:"id,pk" json:"id"`
	Slug             string    `bun:"slug" json:"slug"`
	Name             string    `bun:"name" json:"name"`
	Status           string    `bun:"status" json:"status"`
	DefaultLanguage  string    `bun:"default_language" json:"default_language"`
	RequireStaffTOTP bool      `bun:"require_staff_totp" json:"require_staff_totp"`
	CreatedAt        time.Time `bun:"created_at" json:"created_at"`
	UpdatedAt        time.Time `bun:"updated_at" json:"updated_at"`
}

// Active reports whether the agency's hosts are served.
func (a *Agency) Active() bool { return a.Status == StatusActive }

// ErrInvalidSlug and ErrReservedSlug explain why a slug was refused.
var (
	ErrInvalidSlug  = errors.New("a slug is 2 to 40 lowercase letters, digits or inner hyphens")
	ErrReservedSlug = errors.New("this slug is reserved by the platform")
	ErrInvalidName  = errors.New("an agency name is 1 to 120 characters")
)

var slugRE = regexp.MustCompile(`^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$`)

// reserved slugs would collide with the platform's own names.
var reserved = map[string]bool{
	"app": true, "www": true, "api": true, "admin": true, "static": true, "assets": true,
	"mail": true, "smtp": true, "imap": true, "pop": true, "ftp": true, "status": true,
	"help": true, "support": true, "docs": true, "blog": true, "cdn": true, "dev": true,
	"staging": true, "test": true, "login": true, "auth": true, "portal": true, "dashboard": true,
	"operator": true, "operators": true, "platform": true, "billing": true, "ns": true, "ns1": true,
	"ns2": true, "mx": true, "root": true, "system": true, "internal": true, "_acme-challenge": true, "autoconfig": true, "autodiscover": true, "webmail": true,
}

// ValidateSlug checks the shape of a slug and refuses reserved ones.
func ValidateSlug(slug string) error {
	if len(slug) < 2 || !slugRE.MatchString(slug) || strings.Contains(slug, "--") {
		return ErrInvalidSlug
	}
	if reserved[slug] {
		return ErrReservedSlug
	}
	return nil
}

// Store reads and writes agencies.
type Store struct {
	db bun.IDB
}

// NewStore returns a Store on db.
func NewStore(db bun.IDB) *Store { return &Store{db: db} }

// CreateAgency inserts a new active agency; a taken slug is store.ErrConflict.
func (s *Store) CreateAgency(ctx context.Context, name, slug string) (*Agency, error) {
	name = strings.TrimSpace(name)
	slug = strings.ToLower(strings.TrimSpace(slug))
	if name == "" || len([]rune(name)) > 120 {
		return nil, ErrInvalidName
	}
	if err := ValidateSlug(slug); err != nil {
		return nil, err
	}
	now := store.Now()
	a := &Agency{ID: store.NewID(), Slug: slug, Name: name, Status: StatusActive, DefaultLanguage: "en", CreatedAt: now, UpdatedAt: now}
	if _, err := s.db.NewInsert().Model(a).Exec(ctx); err != nil {
		return nil, fmt.Errorf("tenant: create agency %s: %w", slug, store.Translate(err))
	}
	return a, nil
}

// AgencyBySlug returns the agency with that slug.
func (s *Store) AgencyBySlug(ctx context.Context, slug string) (*Agency, error) {
	a := new(Agency)
	if err := s.db.NewSelect().Model(a).Where("slug = ?", strings.ToLower(slug)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("tenant: agency %s: %w", slug, store.Translate(err))
	}
	return a, nil
}

// AgencyByID returns the agency with that id.
func (s *Store) AgencyByID(ctx context.Context, id string) (*Agency, error) {
	a := new(Agency)
	if err := s.db.NewSelect().Model(a).Where("id = ?", id).Scan(ctx); err != nil {
		return nil, fmt.Errorf("tenant: agency %s: %w", id, store.Translate(err))
	}
	return a, nil
}

// Agencies lists agencies by name, a page of limit after offset.
func (s *Store) Agencies(ctx context.Context, limit, offset int) ([]Agency, error) {
	var as []Agency
	if err := s.db.NewSelect().Model(&as).Order("name", "id").Limit(int64(limit)).Offset(int64(offset)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("tenant: list agencies: %w", store.Translate(err))
	}
	return as, nil
}

// SetStatus suspends or reactivates an agency.
func (s *Store) SetStatus(ctx context.Context, id, status string) error {
	if status != StatusActive && status != StatusSuspended {
		return fmt.Errorf("tenant: unknown status %q", status)
	}
	return s.update(ctx, id, "status = ?", status)
}

// SetDefaultLanguage sets the agency's default language.
func (s *Store) SetDefaultLanguage(ctx context.Context, id, lang string) error {
	return s.update(ctx, id, "default_language = ?", lang)
}

// SetName renames the agency.
func (s *Store) SetName(ctx context.Context, id, name string) error {
	name = strings.TrimSpace(name)
	if name == "" || len([]rune(name)) > 120 {
		return ErrInvalidName
	}
	return s.update(ctx, id, "name = ?", name)
}

// SetRequireStaffTOTP sets whether every staff member of the agency must use
// two-factor sign-in.
func (s *Store) SetRequireStaffTOTP(ctx context.Context, id string, required bool) error {
	return s.update(ctx, id, "require_staff_totp = ?", required)
}

// Touch marks the agency changed so that every resolver reloads it (and its brand).
func (s *Store) Touch(ctx context.Context, id string) error {
	return s.update(ctx, id, "")
}

func (s *Store) update(ctx context.Context, id, set string, args ...any) error {
	q := s.db.NewUpdate().Model((*Agency)(nil)).Set("updated_at = ?", store.Now()).Where("id = ?", id)
	if set != "" {
		q = q.Set(set, args...)
	}
	res, err := q.Exec(ctx)
	if err != nil {
		return fmt.Errorf("tenant: update agency %s: %w", id, store.Translate(err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("tenant: update agency %s: %w", id, store.ErrNotFound)
	}
	return nil
}
