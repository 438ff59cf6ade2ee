package certs

import (
	"path/filepath"
	"strings"

	"github.com/caddyserver/certmagic"
	"github.com/uptrace/bun"

	"workrate/store"
)

// NewStorage returns where certificates live: PostgreSQL (shared by every
// instance) when db is PostgreSQL, else files in a "certs" directory beside
// the embedded database's file.
func NewStorage(db bun.IDB, databaseURL string) certmagic.Storage {
	if store.IsPostgres(db) {
		return NewPGStorage(db, PGOptions{})
	}
	return &certmagic.FileStorage{Path: FileStorageDir(databaseURL)}
}

// FileStorageDir is the certificate directory for an embedded database URL:
// "sqlite://data/workrate.db" keeps certificates in "data/certs".
func FileStorageDir(databaseURL string) string {
	path := strings.TrimPrefix(strings.TrimPrefix(databaseURL, "sqlite:"), "//")
	if path == "" || strings.Contains(path, ":memory:") {
		return filepath.Join("data", "certs")
	}
	return filepath.Join(filepath.Dir(path), "certs")
}
