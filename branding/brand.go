// Package branding holds what an agency's clients see of its white label: the
// name, the logo and the colour, and what pages need of them.
package branding

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"workrate/field"
	"workrate/store"
)

// MaxNameLen is the longest platform name an agency may set.
const MaxNameLen = 60

// Settings is an agency's white label as stored; empty fields mean "platform default".
type Settings struct {
	bun.BaseModel `bun:"table:brandings"`

	AgencyID     string    `bun:"agency_id,pk" json:"-"`
	PlatformName string    `bun:"platform_name" json:"platform_name"`
	PrimaryColor string    `bun:"primary_color" json:"primary_color"`
	Logo         []byte    `bun:"logo" json:"-"`
	LogoHash     string    `bun:"logo_hash" json:"logo_hash,omitempty"`
	Favicon      []byte    `bun:"favicon" json:"-"`
	UpdatedAt    time.Time `bun:"updated_at" json:"updated_at"`
}

// WhiteLabel reports whether the agency has set its own name or logo, in which
// case the platform's name and logo must appear nowhere its clients look.
func (s Settings) WhiteLabel() bool { return s.PlatformName != "" || s.LogoHash != "" }

// Brand is what a page shows: resolved once per agency and cached with the tenant.
type Brand struct {
	Name       string // the name in titles and headers
	Color      string // primary colour, #rrggbb
	TextColor  string // readable text on Color
	LogoHash   string // empty: no logo
	WhiteLabel bool   // true: never show the platform's name or logo
	AgencyName string // the agency's own name ("ask Acme for a new password")
}

// LogoURL is the logo's address: it carries the content hash, so it can be cached for long.
func (b Brand) LogoURL() string {
	if b.LogoHash == "" {
		return ""
	}
	return "/brand/logo/" + b.LogoHash + ".png"
}

// FaviconURL is the favicon's address, the logo's when there is one.
func (b Brand) FaviconURL() string {
	if b.LogoHash == "" {
		return ""
	}
	return "/brand/favicon/" + b.LogoHash + ".png"
}

// IconURL is the favicon of a brand without a logo: a square of its colour.
func (b Brand) IconURL() string {
	return "/brand/icon/" + strings.TrimPrefix(b.Color, "#") + ".svg"
}

// Platform returns the brand of pages where no agency's white label applies.
func Platform(name string) Brand {
	return Brand{Name: name, Color: DefaultPrimaryColor, TextColor: TextColorOn(DefaultPrimaryColor)}
}

// Resolve combines an agency's stored settings with the platform's defaults.
func Resolve(s Settings, agencyName, platformName string) Brand {
	b := Platform(platformName)
	b.AgencyName = agencyName
	if s.PrimaryColor != "" {
		b.Color = s.PrimaryColor
		b.TextColor = TextColorOn(s.PrimaryColor)
	}
	b.LogoHash = s.LogoHash
	if s.WhiteLabel() {
		b.WhiteLabel = true
		b.Name = s.PlatformName
		if b.Name == "" {
			// A logo without a name: the agency's own name, never the platform's.
			b.Name = agencyName
		}
	}
	return b
}

// Store reads and writes agencies' branding. Every write also marks the agency
// changed, so every instance's tenant cache picks up the new brand.
type Store struct {
	db bun.IDB
}

// NewStore returns a Store on db.
func NewStore(db bun.IDB) *Store { return &Store{db: db} }

// Get returns an agency's settings; an agency that never set any gets empty ones.
func (s *Store) Get(ctx context.Context, agencyID string) (Settings, error) {
	var st Settings
	err := s.db.NewSelect().Model(&st).Column("agency_id", "platform_name", "primary_color", "logo_hash", "updated_at").
		Where("agency_id = ?", agencyID).Scan(ctx)
	if err != nil {
		if err = store.Translate(err); err == store.ErrNotFound {
			return Settings{AgencyID: agencyID}, nil
		}
		return Settings{}, fmt.Errorf("branding: get %s: %w", agencyID, err)
	}
	return st, nil
}

// SetText validates and saves the platform name and primary colour (empty resets each).
func (s *Store) SetText(ctx context.Context, agencyID, name, color string) (Settings, error) {
	name = strings.TrimSpace(name)
	if len([]rune(name)) > MaxNameLen {
		return Settings{}, field.Limited("platform_name", field.TooLong, MaxNameLen)
	}
	if color != "" {
		c, err := ParseColor(color)
		if err != nil {
			return Settings{}, err
		}
		color = c
	}
	err := s.save(ctx, agencyID, func(q *bun.InsertQuery, st *Settings) *bun.InsertQuery {
		st.PlatformName, st.PrimaryColor = name, color
		return q.Set("platform_name = EXCLUDED.platform_name").Set("primary_color = EXCLUDED.primary_color")
	})
	if err != nil {
		return Settings{}, err
	}
	return s.Get(ctx, agencyID)
}

// SaveLogo checks, re-encodes and stores an uploaded logo and its favicon.
func (s *Store) SaveLogo(ctx context.Context, agencyID string, data []byte) (Settings, error) {
	l, err := ProcessLogo(data)
	if err != nil {
		return Settings{}, err
	}
	fav, err := Favicon(l)
	if err != nil {
		return Settings{}, err
	}
	return s.SetLogo(ctx, agencyID, l, fav)
}

// SetLogo saves an already processed logo and its favicon.
func (s *Store) SetLogo(ctx context.Context, agencyID string, l Logo, favicon []byte) (Settings, error) {
	err := s.save(ctx, agencyID, func(q *bun.InsertQuery, st *Settings) *bun.InsertQuery {
		st.Logo, st.LogoHash, st.Favicon = l.PNG, l.Hash, favicon
		return q.Set("logo = EXCLUDED.logo").Set("logo_hash = EXCLUDED.logo_hash").Set("favicon = EXCLUDED.favicon")
	})
	if err != nil {
		return Settings{}, err
	}
	return s.Get(ctx, agencyID)
}

// RemoveLogo removes the logo and favicon.
func (s *Store) RemoveLogo(ctx context.Context, agencyID string) (Settings, error) {
	err := s.save(ctx, agencyID, func(q *bun.InsertQuery, st *Settings) *bun.InsertQuery {
		st.Logo, st.LogoHash, st.Favicon = nil, "", nil
		return q.Set("logo = EXCLUDED.logo").Set("logo_hash = EXCLUDED.logo_hash").Set("favicon = EXCLUDED.favicon")
	})
	if err != nil {
		return Settings{}, err
	}
	return s.Get(ctx, agencyID)
}

// Reset returns the agency to the platform's branding.
func (s *Store) Reset(ctx context.Context, agencyID string) error {
	return s.inTx(ctx, agencyID, func(tx bun.Tx) error {
		_, err := tx.NewDelete().Model((*Settings)(nil)).Where("agency_id = ?", agencyID).Exec(ctx)
		return err
	})
}

// Image returns the logo or favicon PNG whose hash is given; a stale hash is ErrNotFound.
func (s *Store) Image(ctx context.Context, agencyID, hash string, favicon bool) ([]byte, error) {
	col := "logo"
	if favicon {
		col = "favicon"
	}
	var b []byte
	err := s.db.NewSelect().Model((*Settings)(nil)).Column(col).
		Where("agency_id = ? AND logo_hash = ?", agencyID, hash).Scan(ctx, &b)
	if err != nil {
		return nil, fmt.Errorf("branding: %s of %s: %w", col, agencyID, store.Translate(err))
	}
	if len(b) == 0 {
		return nil, fmt.Errorf("branding: %s of %s: %w", col, agencyID, store.ErrNotFound)
	}
	return b, nil
}

func (s *Store) save(ctx context.Context, agencyID string, set func(*bun.InsertQuery, *Settings) *bun.InsertQuery) error {
	return s.inTx(ctx, agencyID, func(tx bun.Tx) error {
		st := &Settings{AgencyID: agencyID, UpdatedAt: store.Now()}
		q := tx.NewInsert().Model(st).On("CONFLICT (agency_id) DO UPDATE")
		q = set(q, st).Set("updated_at = EXCLUDED.updated_at")
		_, err := q.Exec(ctx)
		return err
	})
}

// inTx runs f and marks the agency changed in the same transaction.
func (s *Store) inTx(ctx context.Context, agencyID string, f func(bun.Tx) error) error {
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := f(tx); err != nil {
			return err
		}
		_, err := tx.NewRaw("UPDATE agencies SET updated_at = ? WHERE id = ?", store.Now(), agencyID).Exec(ctx)
		return err
	})
	if err != nil {
		return fmt.Errorf("branding: save %s: %w", agencyID, store.Translate(err))
	}
	return nil
}
