package tenant_test

import (
	"context"
	"testing"
	"time"

	"workrate/branding"
	"workrate/migrations/testdb"
	"workrate/store"
	"workrate/tenant"
)

func testConfig() tenant.Config {
	return tenant.Config{PlatformHost: "localhost", AgencyDomain: "localhost", PlatformName: "WorkRate", Refresh: time.Hour, FullReload: time.Hour}
}

func addDomain(t *testing.T, db testdb.DB, agencyID, host, status string) {
	t.Helper()
	now := store.Now()
	_, err := db.NewRaw("INSERT INTO domains (id, agency_id, hostname, status, verification_token, created_at, updated_at) VALUES (?, ?, ?, ?, 'tok', ?, ?)",
		store.NewID(), agencyID, host, status, now, now).Exec(context.Background())
	if err != nil {
		t.Fatal(err)
	}
}

func TestResolver(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			ctx := context.Background()
			ts := tenant.NewStore(db.DB)
			acme, err := ts.CreateAgency(ctx, "Acme Studio", "acme")
			if err != nil {
				t.Fatal(err)
			}
			beta, err := ts.CreateAgency(ctx, "Beta", "beta")
			if err != nil {
				t.Fatal(err)
			}
			addDomain(t, db, acme.ID, "app.acme.example", tenant.DomainVerified)
			addDomain(t, db, beta.ID, "portal.beta.example", tenant.DomainPending)

			r := tenant.NewResolver(db.DB, testConfig())
			if err := r.Load(ctx); err != nil {
				t.Fatal(err)
			}
			checkResolve(t, r, acme.ID, beta.ID)

			// Changes made by another process arrive with Refresh.
			if _, err := ts.CreateAgency(ctx, "Gamma", "gamma"); err != nil {
				t.Fatal(err)
			}
			if _, err := db.NewRaw("UPDATE domains SET status = ?, updated_at = ? WHERE hostname = ?", tenant.DomainVerified, store.Now(), "portal.beta.example").Exec(ctx); err != nil {
				t.Fatal(err)
			}
			if _, err := branding.NewStore(db.DB).SetText(ctx, acme.ID, "Acme Portal", "#112233"); err != nil {
				t.Fatal(err)
			}
			if err := ts.SetStatus(ctx, beta.ID, tenant.StatusSuspended); err != nil {
				t.Fatal(err)
			}
			if r.Resolve("gamma.localhost").Kind != tenant.Unknown {
				t.Fatal("gamma served before refresh")
			}
			if err := r.Refresh(ctx); err != nil {
				t.Fatal(err)
			}
			if got := r.Resolve("gamma.localhost"); got.Kind != tenant.AgencyHost {
				t.Error("gamma not served after refresh")
			}
			got := r.Resolve("app.acme.example")
			if got.Site == nil || got.Site.Brand.Name != "Acme Portal" || got.Site.Brand.Color != "#112233" || !got.Site.Brand.WhiteLabel {
				t.Errorf("brand after refresh = %+v", got.Site)
			}
			if r.Resolve("beta.localhost").Kind != tenant.Unknown || r.Resolve("portal.beta.example").Kind != tenant.Unknown {
				t.Error("suspended agency still served")
			}
			if err := ts.SetStatus(ctx, beta.ID, tenant.StatusActive); err != nil {
				t.Fatal(err)
			}
			if err := r.Refresh(ctx); err != nil {
				t.Fatal(err)
			}
			if r.Resolve("portal.beta.example").Kind != tenant.AgencyHost {
				t.Error("domain verified by another process not served after refresh")
			}
			// A deleted domain disappears at the next full reload.
			if _, err := db.NewRaw("DELETE FROM domains WHERE hostname = ?", "app.acme.example").Exec(ctx); err != nil {
				t.Fatal(err)
			}
			if err := r.Load(ctx); err != nil {
				t.Fatal(err)
			}
			if r.Resolve("app.acme.example").Kind != tenant.Unknown {
				t.Error("deleted domain still served after reload")
			}
		})
	}
}

// checkResolve wants each host resolved to its kind and agency (acmeID has
// a verified custom domain, betaID a pending one).
func checkResolve(t *testing.T, r *tenant.Resolver, acmeID, betaID string) {
	t.Helper()
	cases := []struct {
		host   string
		kind   tenant.Kind
		agency string
		custom bool
	}{
		{"localhost", tenant.Platform, "", false},
		{"acme.localhost", tenant.AgencyHost, acmeID, false},
		{"beta.localhost", tenant.AgencyHost, betaID, false},
		{"app.acme.example", tenant.AgencyHost, acmeID, true},
		{"portal.beta.example", tenant.Unknown, "", false}, // not verified
		{"nobody.localhost", tenant.Unknown, "", false},
		{"x.acme.localhost", tenant.Unknown, "", false},
		{"example.com", tenant.Unknown, "", false},
	}
	for _, c := range cases {
		got := r.Resolve(c.host)
		if got.Kind != c.kind || got.Custom != c.custom {
			t.Errorf("Resolve(%q) = kind %v custom %v, want %v %v", c.host, got.Kind, got.Custom, c.kind, c.custom)
			continue
		}
		if c.agency != "" && (got.Site == nil || got.Site.Agency.ID != c.agency) {
			t.Errorf("Resolve(%q) = %+v, want agency %s", c.host, got.Site, c.agency)
		}
	}
	if !r.Allowed("app.acme.example") || r.Allowed("portal.beta.example") || r.Allowed("nobody.example") {
		t.Error("Allowed does not follow verified domains")
	}
}

func TestCreateAgencyValidation(t *testing.T) {
	db := testdb.SQLite(t)
	ts := tenant.NewStore(db.DB)
	ctx := context.Background()
	for _, slug := range []string{"a", "-ab", "ab-", "a_b", "A B", "www", "api", "admin", "app", "static", "mail", "a--b"} {
		if _, err := ts.CreateAgency(ctx, "X", slug); err == nil {
			t.Errorf("slug %q accepted", slug)
		}
	}
	if _, err := ts.CreateAgency(ctx, "", "fine"); err == nil {
		t.Error("empty name accepted")
	}
	if _, err := ts.CreateAgency(ctx, "Fine", "Fine-Agency"); err != nil {
		t.Errorf("good slug refused: %v", err)
	}
	if _, err := ts.CreateAgency(ctx, "Again", "fine-agency"); err == nil {
		t.Error("duplicate slug accepted")
	}
}
