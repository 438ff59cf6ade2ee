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
// the first time. The key is written to a temporary file beside it and then
// linked into place, so a start that fails halfway (a full disk) leaves no
// file rather than an empty one, and two processes starting together end up
// with the same key (the second link fails and reads the first one's).
func loadOrCreateKey(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err == nil {
		key := strings.TrimSpace(string(b))
		if len(key) < auth.MinSecretKeyLength {
			return "", fmt.Errorf("secret key file %s is empty or too short (%d characters, at least %d): "+
				"restore it from the backup of this database; if it never held a key (a first start that failed, "+
				"e.g. on a full disk), delete it and start again to generate one, or set WORKRATE_SECRET_KEY",
				path, len(key), auth.MinSecretKeyLength)
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
	tmp, err := writeTemp(filepath.Dir(path), key+"\n")
	if err != nil {
		return "", fmt.Errorf("secret key file %s: %w", path, err)
	}
	defer os.Remove(tmp)
	if err := os.Link(tmp, path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return loadOrCreateKey(path) // another process made it first
		}
		// A file system without hard links: rename, which replaces.
		if err := os.Rename(tmp, path); err != nil {
			return "", fmt.Errorf("secret key file %s: %w", path, err)
		}
	}
	slog.Info("generated a secret key for two-factor secrets; keep it with the database's backups", "file", path)
	return key, nil
}

// writeTemp writes content to a new 0600 file in dir, synced to disk, and
// returns its name; on failure nothing is left behind.
func writeTemp(dir, content string) (string, error) {
	f, err := os.CreateTemp(dir, ".secret.key-*")
	if err != nil {
		return "", err
	}
	_, err = f.WriteString(content)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}
