package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"workrate/store"
)

// apiKeyPrefix marks the platform's keys so that leaked ones are easy to find.
const apiKeyPrefix = "wrk_"

// APIKey is an agency's key for the JSON API. Only its SHA-256 is stored: a
// key has 256 random bits, so a fast hash is enough and lookups stay cheap.
type APIKey struct {
	bun.BaseModel `bun:"table:api_keys"`

	ID         string     `bun:"id,pk" json:"id"`
	AgencyID   string     `bun:"agency_id" json:"-"`
	Name       string     `bun:"name" json:"name"`
	Prefix     string     `bun:"prefix" json:"prefix"`
	KeyHash    string     `bun:"key_hash" json:"-"`
	CreatedBy  string     `bun:"created_by" json:"-"`
	CreatedAt  time.Time  `bun:"created_at" json:"created_at"`
	LastUsedAt *time.Time `bun:"last_used_at" json:"last_used_at,omitempty"`
	RevokedAt  *time.Time `bun:"revoked_at" json:"revoked_at,omitempty"`
}

func hashKey(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}

// CreateAPIKey makes a new key for the agency and returns it in clear once.
func (s *Store) CreateAPIKey(ctx context.Context, agencyID, name, createdBy string) (string, *APIKey, error) {
	name = strings.TrimSpace(name)
	if name == "" || len([]rune(name)) > 80 {
		return "", nil, fmt.Errorf("auth: an API key label is 1 to 80 characters")
	}
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", nil, fmt.Errorf("auth: random key: %w", err)
	}
	key := apiKeyPrefix + base64.RawURLEncoding.EncodeToString(b[:])
	k := &APIKey{ID: store.NewID(), AgencyID: agencyID, Name: name, Prefix: key[:len(apiKeyPrefix)+6],
		KeyHash: hashKey(key), CreatedBy: createdBy, CreatedAt: store.Now()}
	if _, err := s.db.NewInsert().Model(k).Exec(ctx); err != nil {
		return "", nil, fmt.Errorf("auth: create API key: %w", store.Translate(err))
	}
	return key, k, nil
}

// APIKeyByToken returns the live key matching a presented token and records its
// use (at most once a minute, to keep reads cheap).
func (s *Store) APIKeyByToken(ctx context.Context, token string) (*APIKey, error) {
	if !strings.HasPrefix(token, apiKeyPrefix) || len(token) > 100 {
		return nil, fmt.Errorf("auth: API key: %w", store.ErrNotFound)
	}
	k := new(APIKey)
	if err := s.db.NewSelect().Model(k).Where("key_hash = ? AND revoked_at IS NULL", hashKey(token)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("auth: API key: %w", store.Translate(err))
	}
	now := store.Now()
	if k.LastUsedAt == nil || now.Sub(*k.LastUsedAt) > time.Minute {
		_, _ = s.db.NewUpdate().Model(k).Set("last_used_at = ?", now).Where("id = ?", k.ID).Exec(ctx)
		k.LastUsedAt = &now
	}
	return k, nil
}

// APIKeys lists the agency's keys, newest first.
func (s *Store) APIKeys(ctx context.Context, agencyID string) ([]APIKey, error) {
	var ks []APIKey
	if err := s.db.NewSelect().Model(&ks).Where("agency_id = ?", agencyID).Order("created_at DESC").Scan(ctx); err != nil {
		return nil, fmt.Errorf("auth: list API keys: %w", store.Translate(err))
	}
	return ks, nil
}

// RevokeAPIKey revokes one of the agency's keys.
func (s *Store) RevokeAPIKey(ctx context.Context, agencyID, id string) error {
	res, err := s.db.NewUpdate().Model((*APIKey)(nil)).Set("revoked_at = ?", store.Now()).
		Where("agency_id = ? AND id = ? AND revoked_at IS NULL", agencyID, id).Exec(ctx)
	if err != nil {
		return fmt.Errorf("auth: revoke API key: %w", store.Translate(err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("auth: revoke API key %s: %w", id, store.ErrNotFound)
	}
	return nil
}
