package migrations

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/migrate"
)

// RunUpTo applies the pending migrations up to and including the one named
// last, and no later one: a restore fills the schema its backup was taken at,
// then Run brings the restored rows up to date like any upgrade.
func RunUpTo(ctx context.Context, db *bun.DB, last string) ([]string, error) {
	ms, err := all()
	if err != nil {
		return nil, err
	}
	upTo := migrate.NewMigrations()
	found := false
	for _, m := range ms.Sorted() {
		if m.Name <= last {
			upTo.Add(m)
		}
		found = found || m.Name == last
	}
	if !found {
		return nil, fmt.Errorf("migrations: %s is not known to this version of workrate: use the version that wrote it or a newer one", last)
	}
	return apply(ctx, migrate.NewMigrator(db, upTo, migrate.WithMarkAppliedOnSuccess(true)))
}

// Latest returns the name of the newest migration this version knows.
func Latest() (string, error) {
	ms, err := all()
	if err != nil {
		return "", err
	}
	sorted := ms.Sorted()
	if len(sorted) == 0 {
		return "", nil
	}
	return sorted[len(sorted)-1].Name, nil
}
