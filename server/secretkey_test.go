package server

import (
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"workrate/auth"
	"workrate/migrations/testdb"
)

func TestSecretBox(t *testing.T) {
	t.Run("sqlite without a key: generated once next to the database", func(t *testing.T) {
		db := testdb.SQLite(t)
		dir := t.TempDir()
		cfg := Config{DatabaseURL: "sqlite://" + filepath.Join(dir, "workrate.db")}
		box, err := secretBox(cfg, db.DB)
		if err != nil || box == nil {
			t.Fatalf("box %v, err %v", box, err)
		}
		info, err := os.Stat(filepath.Join(dir, secretKeyFile))
		if err != nil {
			t.Fatal(err)
		}
		if info.Mode().Perm() != 0o600 {
			t.Errorf("key file mode %v", info.Mode().Perm())
		}
		sealed, err := box.Seal([]byte("secret"))
		if err != nil {
			t.Fatal(err)
		}
		again, err := secretBox(cfg, db.DB)
		if err != nil {
			t.Fatal(err)
		}
		if plain, err := again.Open(sealed); err != nil || string(plain) != "secret" {
			t.Errorf("a second start does not open what the first sealed: %q %v", plain, err)
		}
	})
	t.Run("a short key stops the start", func(t *testing.T) {
		db := testdb.SQLite(t)
		if _, err := secretBox(Config{SecretKey: "short", DatabaseURL: db.URL}, db.DB); err == nil {
			t.Error("short key accepted")
		}
	})
	t.Run("postgres without a key: unavailable", func(t *testing.T) {
		db := testdb.Postgres(t)
		box, err := secretBox(Config{DatabaseURL: db.URL}, db.DB)
		if err != nil || box != nil {
			t.Errorf("box %v, err %v", box, err)
		}
	})
}

// tmpfs mounts a tmpfs of size bytes on a new directory, or skips the test
// where mounting is not allowed.
func tmpfs(t *testing.T, size int) string {
	t.Helper()
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+strconv.Itoa(size), "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a small tmpfs to fill a disk (needs root): %v: %s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("umount", "-l", dir).Run() })
	return dir
}

// fill writes a file in dir until the file system is full.
func fill(t *testing.T, dir string) {
	t.Helper()
	f, err := os.Create(filepath.Join(dir, "filler"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	chunk := make([]byte, 4096)
	for {
		if _, err := f.Write(chunk); err != nil {
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatal(err)
			}
			return
		}
	}
}

func TestSecretKeyFile(t *testing.T) {
	t.Run("a first start on a full disk leaves no key file behind", func(t *testing.T) {
		dir := tmpfs(t, 64<<10)
		fill(t, dir)
		path := filepath.Join(dir, secretKeyFile)
		if _, err := loadOrCreateKey(path); err == nil {
			t.Fatal("key written on a full disk")
		}
		if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
			t.Fatalf("a failed first start left %s: %v", path, err)
		}
		entries, _ := os.ReadDir(dir)
		if len(entries) != 1 {
			t.Errorf("left behind: %v", entries)
		}
		// Once there is room, the next start generates the key.
		if err := os.Remove(filepath.Join(dir, "filler")); err != nil {
			t.Fatal(err)
		}
		if key, err := loadOrCreateKey(path); err != nil || len(key) < auth.MinSecretKeyLength {
			t.Fatalf("start after freeing room: %q %v", key, err)
		}
	})
	for _, content := range []string{"", "\n", "short\n"} {
		t.Run("an empty or short key file is reported with the fix: "+strconv.Quote(content), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), secretKeyFile)
			if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := loadOrCreateKey(path)
			if err == nil {
				t.Fatal("accepted")
			}
			for _, want := range []string{path, "too short", "backup", "delete it", "WORKRATE_SECRET_KEY"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not say %q", err, want)
				}
			}
		})
	}
}
