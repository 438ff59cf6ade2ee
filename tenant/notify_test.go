package tenant_test

import (
	"context"
	"testing"
	"time"

	"workrate/migrations/testdb"
	"workrate/store"
	"workrate/tenant"
)

// waitFor polls cond for up to d.
func waitFor(d time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		if cond() {
			return true
		}
		time.Sleep(10 * time.Millisecond)
	}
	return cond()
}

func TestListenAppliesChangesFromAnotherInstanceAtOnce(t *testing.T) {
	db := testdb.Postgres(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r := tenant.NewResolver(db.DB, testConfig()) // Refresh is an hour: only notifications can explain a change
	if err := r.Load(ctx); err != nil {
		t.Fatal(err)
	}
	go r.Listen(ctx, db.DB)
	// Another instance (here: the same database through another pool) writes.
	other, err := store.Open(db.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	ts := tenant.NewStore(other)
	// The listener may need a moment to start listening; keep creating until seen.
	var a *tenant.Agency
	if !waitFor(3*time.Second, func() bool {
		if a == nil {
			a, err = ts.CreateAgency(ctx, "Notified", "notified")
			if err != nil {
				t.Fatal(err)
			}
		} else if err := ts.Touch(ctx, a.ID); err != nil {
			t.Fatal(err)
		}
		return waitFor(200*time.Millisecond, func() bool { return r.Resolve("notified.localhost").Kind == tenant.AgencyHost })
	}) {
		t.Fatal("agency created by another instance not served after notification")
	}
	now := store.Now()
	if _, err := other.NewRaw("INSERT INTO domains (id, agency_id, hostname, status, verification_token, created_at, updated_at) VALUES (?, ?, 'app.notified.example', ?, 'tok', ?, ?)",
		store.NewID(), a.ID, tenant.DomainVerified, now, now).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if !waitFor(time.Second, func() bool { return r.Resolve("app.notified.example").Kind == tenant.AgencyHost }) {
		t.Fatal("domain verified by another instance not served within a second")
	}
	t.Logf("verified domain served after %v", time.Since(start))
	if _, err := other.NewRaw("DELETE FROM domains WHERE hostname = 'app.notified.example'").Exec(ctx); err != nil {
		t.Fatal(err)
	}
	if !waitFor(time.Second, func() bool { return r.Resolve("app.notified.example").Kind == tenant.Unknown }) {
		t.Fatal("domain removed by another instance still served after a second")
	}
}
