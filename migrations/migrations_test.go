package migrations_test

import (
	"context"
	"sync"
	"testing"

	"workrate/migrations"
	"workrate/migrations/testdb"
	"workrate/store"
)

func TestMigrateFromEmptyIsComplete(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			ctx := context.Background()
			pending, err := migrations.Pending(ctx, db.DB)
			if err != nil {
				t.Fatal(err)
			}
			if len(pending) != 0 {
				t.Fatalf("pending after migrate: %v", pending)
			}
			// Every table of the product exists and answers.
			for _, table := range []string{
				"agencies", "domains", "staff_users", "operators", "api_keys", "workspaces",
				"portal_accounts", "recovery_codes", "sessions", "login_attempts", "portal_events",
				"tasks", "messages", "tickets", "ticket_comments", "invoices", "invoice_lines",
				"notes", "activity", "service_rates", "brandings", "cert_data", "cert_locks",
			} {
				var n int
				if err := db.NewRaw("SELECT count(*) FROM "+table).Scan(ctx, &n); err != nil {
					t.Errorf("table %s: %v", table, err)
				}
			}
			// A second run applies nothing.
			names, err := migrations.Run(ctx, db.DB)
			if err != nil || len(names) != 0 {
				t.Fatalf("second run applied %v, err %v", names, err)
			}
		})
	}
}

func TestConcurrentMigrationsApplyOnce(t *testing.T) {
	pg := testdb.Postgres(t) // skips without WORKRATE_TEST_DATABASE_URL
	ctx := context.Background()
	// A fresh schema beside the migrated one, migrated by four pools at once.
	schema := "t_race_" + store.NewID()[24:]
	if _, err := pg.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = pg.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE") })
	u, err := testdb.WithSearchPath(pg.URL, schema)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	applied := make([][]string, 4)
	errs := make([]error, 4)
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			db, err := store.Open(u)
			if err != nil {
				errs[i] = err
				return
			}
			defer db.Close()
			applied[i], errs[i] = migrations.Run(ctx, db)
		}()
	}
	wg.Wait()
	total := 0
	for i := range 4 {
		if errs[i] != nil {
			t.Fatalf("instance %d: %v", i, errs[i])
		}
		total += len(applied[i])
	}
	db, err := store.Open(u)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var want int
	if err := db.NewRaw("SELECT count(*) FROM bun_migrations").Scan(ctx, &want); err != nil {
		t.Fatal(err)
	}
	if total != want {
		t.Fatalf("instances applied %d migrations in all, the table records %d", total, want)
	}
}

func TestSQLiteConcurrentMigrationsApplyOnce(t *testing.T) {
	u := "sqlite://" + t.TempDir() + "/race.db"
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make([]error, 3)
	for i := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			db, err := store.Open(u)
			if err != nil {
				errs[i] = err
				return
			}
			defer db.Close()
			_, errs[i] = migrations.Run(ctx, db)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("instance %d: %v", i, err)
		}
	}
}
