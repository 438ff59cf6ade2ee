package server

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/uptrace/bun"

	"workrate/auth"
	"workrate/store"
)

// secretKeyFile is the key generated next to the embedded database when
// WORKRATE_SECRET_KEY is not set.
const secretKeyFile = "secret.key"

// secretBox returns the box that seals secrets at rest (two-factor secrets),
// or nil when two-factor sign-in is unavailable. With WORKRATE_SECRET_KEY set
// it is used (too short a key stops the start). Without it, the embedded
// SQLite database gets a random key generated once into data/secret.key
// (mode 0600); on PostgreSQL there is no safe place to keep one, so two-factor
// enrolment stays unavailable until the key is configured on every instance.
func secretBox(cfg Config, db *bun.DB) (*auth.SecretBox, error) {
	if cfg.SecretKey != "" {
		box, err := auth.NewSecretBox(cfg.SecretKey)
		if err != nil {
			return nil, fmt.Errorf("WORKRATE_SECRET_KEY: %w", err)
		}
		return box, nil
	}
	if store.IsPostgres(db) {
		slog.Warn("WORKRATE_SECRET_KEY is not set: two-factor sign-in is unavailable; set the same key on every instance")
		return nil, nil
	}
	path := strings.TrimPrefix(strings.TrimPrefix(cfg.DatabaseURL, "sqlite:"), "//")
	if path == "" || path == ":memory:" || strings.HasPrefix(path, "file::memory:") || strings.HasPrefix(cfg.DatabaseURL, "postgres") {
		// A database that lives only in memory: a key that lives as long.
		key, err := randomKey()
		if err != nil {
			return nil, err
		}
		return auth.NewSecretBox(key)
	}
	key, err := loadOrCreateKey(filepath.Join(filepath.Dir(path), secretKeyFile))
	if err != nil {
		return nil, err
	}
	return auth.NewSecretBox(key)
}

// randomKey returns 32 random bytes in hex.
func randomKey() (string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("secret key: %w", err)
	}
	return hex.EncodeToString(b[:]), nil
}

// loadOrCreateKey reads the key file, creating it (0600) with a random key
// the first time.
func loadOrCreateKey(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err == nil {
		key := strings.TrimSpace(string(b))
		if len(key) < auth.MinSecretKeyLength {
			return "", fmt.Errorf("secret key file %s: too short", path)
		}
		return key, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("secret key file: %w", err)
	}
	key, err := randomKey()
	if err != nil {
		return "", err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return loadOrCreateKey(path) // another process made it first
	}
	if err != nil {
		return "", fmt.Errorf("secret key file: %w", err)
	}
	if _, err := f.WriteString(key + "\n"); err != nil {
		_ = f.Close()
		return "", fmt.Errorf("secret key file: %w", err)
	}
	if err := f.Close(); err != nil {
		return "", fmt.Errorf("secret key file: %w", err)
	}
	slog.Info("generated a secret key for two-factor secrets", "file", path)
	return key, nil
}
