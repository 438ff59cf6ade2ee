package server

import (
	"os"
	"path/filepath"
	"testing"

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
