package store_test

import (
	"context"
	"errors"
	"fmt"
	"syscall"
	"testing"
	"time"

	"workrate/migrations/testdb"
	"workrate/store"
)

func TestTranslateOnBothDatabases(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			ctx := context.Background()
			now := store.Now()
			ins := func(slug string) error {
				_, err := db.NewRaw("INSERT INTO agencies (id, slug, name, status, default_language, require_staff_totp, created_at, updated_at) VALUES (?, ?, ?, 'active', 'en', ?, ?, ?)",
					store.NewID(), slug, "Acme", false, now, now).Exec(ctx)
				return store.Translate(err)
			}
			if err := ins("acme"); err != nil {
				t.Fatal(err)
			}
			if err := ins("acme"); !errors.Is(err, store.ErrConflict) {
				t.Fatalf("duplicate slug: got %v, want ErrConflict", err)
			}
			var name string
			err := db.NewRaw("SELECT name FROM agencies WHERE slug = ?", "nobody").Scan(ctx, &name)
			if !errors.Is(store.Translate(err), store.ErrNotFound) {
				t.Fatalf("missing row: got %v, want ErrNotFound", err)
			}
			if store.Translate(nil) != nil {
				t.Fatal("Translate(nil) != nil")
			}
			other := errors.New("boom")
			if got := store.Translate(other); got != other || errors.Is(got, store.ErrConflict) {
				t.Fatalf("unrelated error changed: %v", got)
			}
		})
	}
}

func TestNewIDIsValidUniqueAndOrdered(t *testing.T) {
	seen := map[string]bool{}
	for i := range 1000 {
		id := store.NewID()
		if !store.ValidID(id) {
			t.Fatalf("invalid id %q", id)
		}
		if seen[id] {
			t.Fatalf("duplicate id %q", id)
		}
		seen[id] = true
		// Ids made a few microseconds apart sort in creation order (the
		// fraction of the millisecond has a resolution of 244 ns).
		if i%10 == 0 {
			prev := store.NewID()
			time.Sleep(5 * time.Microsecond)
			if next := store.NewID(); next <= prev {
				t.Fatalf("ids not time ordered: %s after %s", next, prev)
			}
		}
	}
	for _, bad := range []string{"", "1", "../etc/passwd", "0190a5f2-0000-7000-8000-00000000000G", "0190A5F2-0000-7000-8000-000000000000"} {
		if store.ValidID(bad) {
			t.Errorf("ValidID(%q) = true", bad)
		}
	}
}

func TestUnavailableAndDiskFull(t *testing.T) {
	cases := []struct {
		name                  string
		err                   error
		unavailable, diskFull bool
	}{
		{"deadline", fmt.Errorf("load: %w", context.DeadlineExceeded), true, false},
		{"cancelled by shutdown", fmt.Errorf("load: %w", context.Canceled), true, false},
		{"no space", fmt.Errorf("write: %w", syscall.ENOSPC), true, true},
		{"not found", store.ErrNotFound, false, false},
		{"other", errors.New("boom"), false, false},
	}
	for _, c := range cases {
		if got := store.Unavailable(c.err); got != c.unavailable {
			t.Errorf("%s: Unavailable = %v", c.name, got)
		}
		if got := store.DiskFull(c.err); got != c.diskFull {
			t.Errorf("%s: DiskFull = %v", c.name, got)
		}
	}
}
