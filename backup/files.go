package backup

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"workrate/certs"
)

// CertsDir is the backup's copy of the certificates a SQLite installation
// keeps on disk (PostgreSQL keeps them in the database).
const CertsDir = "certs"

// certsDirOf returns the certificate directory of a SQLite database URL, "" for PostgreSQL.
func certsDirOf(databaseURL string) string {
	if SQLitePath(databaseURL) == "" {
		return ""
	}
	return certs.FileStorageDir(databaseURL)
}

// copyTree copies the regular files under src to dst (created), leaving out
// lock files: they belong to the running process. It reports whether src existed.
func copyTree(src, dst string) (bool, error) {
	if _, err := os.Stat(src); errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		if d.IsDir() {
			if rel == "locks" {
				return filepath.SkipDir
			}
			return os.MkdirAll(filepath.Join(dst, rel), 0o700)
		}
		if !d.Type().IsRegular() || strings.HasSuffix(d.Name(), ".lock") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return writeFileAtomic(filepath.Join(dst, rel), b)
	})
	if err != nil {
		return true, fmt.Errorf("backup: copy %s: %w", src, err)
	}
	return true, nil
}
