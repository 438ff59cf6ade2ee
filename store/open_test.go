package store_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"workrate/store"
)

// readOnlyDir returns a directory this process cannot write: a read-only
// tmpfs when running as root (root ignores file modes), else mode 0500.
func readOnlyDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if os.Geteuid() != 0 {
		if err := os.Chmod(dir, 0o500); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = os.Chmod(dir, 0o700) })
		return dir
	}
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a read-only tmpfs to make an unwritable directory as root: %v: %s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("umount", dir).Run() })
	return dir
}

func TestSQLitePathErrorsSayWhatIsWrong(t *testing.T) {
	base := t.TempDir()
	file := filepath.Join(base, "plain-file")
	if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		path func(t *testing.T) string
		want string
	}{
		{"path is a directory", func(*testing.T) string { return base }, "is a directory"},
		{"parent is a file", func(*testing.T) string { return filepath.Join(file, "workrate.db") }, "is not a directory"},
		{"missing parent under a file", func(*testing.T) string { return filepath.Join(file, "sub", "workrate.db") }, "cannot be created"},
		{"unwritable directory", func(t *testing.T) string { return filepath.Join(readOnlyDir(t), "workrate.db") }, "is not writable"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := c.path(t)
			db, err := store.Open("sqlite://" + path)
			if err == nil {
				pingErr := store.Ping(context.Background(), db)
				_ = db.Close()
				t.Fatalf("opened %s (ping: %v); want an error saying %q", path, pingErr, c.want)
			}
			if !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), filepath.Dir(path)) {
				t.Errorf("error %q; want it to say %q and name the path", err, c.want)
			}
			if strings.Contains(err.Error(), "out of memory") {
				t.Errorf("error %q still speaks of memory", err)
			}
		})
	}
}

func TestSQLiteMissingDirectoryIsCreated(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a", "b", "workrate.db")
	db, err := store.Open("sqlite://" + path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := store.Ping(context.Background(), db); err != nil {
		t.Fatal(err)
	}
}
