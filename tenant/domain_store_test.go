package tenant_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"workrate/field"
	"workrate/migrations/testdb"
	"workrate/store"
	"workrate/tenant"
)

func TestValidateHostname(t *testing.T) {
	platform := []string{"workrate.cloud", "agencies.workrate.cloud", "edge.workrate.cloud"}
	long := strings.Repeat("a", 63)
	cases := []struct {
		in, want, code string
	}{
		{"app.acme.com", "app.acme.com", ""},
		{"  App.ACME.com. ", "app.acme.com", ""},
		{"portal.bücher.de", "portal.xn--bcher-kva.de", ""},
		{"acme.co.uk", "acme.co.uk", ""},
		{"*.acme.com", "", field.HostnameWildcard},
		{"a*.acme.com", "", field.HostnameWildcard},
		{"192.0.2.1", "", field.HostnameIP},
		{"10.1.2.300", "", field.HostnameIP},
		{"[2001:db8::1]", "", field.HostnameInvalid},
		{"2001:db8::1", "", field.HostnameInvalid},
		{"acme", "", field.HostnameSingleLabel},
		{"app.acme.com:8443", "", field.HostnameInvalid},
		{"https://app.acme.com/", "", field.HostnameInvalid},
		{"app..acme.com", "", field.HostnameInvalid},
		{"-app.acme.com", "", field.HostnameInvalid},
		{"app_1.acme.com", "", field.HostnameInvalid},
		{"", "", field.HostnameInvalid},
		{long + "x.acme.com", "", field.HostnameInvalid},
		{strings.Repeat(long+".", 4) + "com", "", field.HostnameTooLong},
		{"workrate.cloud", "", field.HostnamePlatform},
		{"evil.workrate.cloud", "", field.HostnamePlatform},
		{"x.agencies.workrate.cloud", "", field.HostnamePlatform},
		{"EDGE.workrate.cloud", "", field.HostnamePlatform},
		{"app.localhost", "", field.HostnamePlatform},
		{"notworkrate.cloud", "notworkrate.cloud", ""},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			got, err := tenant.ValidateHostname(c.in, platform...)
			var de *field.Error
			switch {
			case c.code == "" && (err != nil || got != c.want):
				t.Errorf("ValidateHostname(%q) = %q, %v; want %q", c.in, got, err, c.want)
			case c.code != "" && (!errors.As(err, &de) || de.Code != c.code):
				t.Errorf("ValidateHostname(%q) = %q, %v; want code %s", c.in, got, err, c.code)
			}
		})
	}
}

func TestDomainStore(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			ctx := context.Background()
			ts := tenant.NewStore(db.DB)
			acme, err := ts.CreateAgency(ctx, "Acme", "acme")
			if err != nil {
				t.Fatal(err)
			}
			beta, err := ts.CreateAgency(ctx, "Beta", "beta")
			if err != nil {
				t.Fatal(err)
			}
			r := tenant.NewResolver(db.DB, testConfig())
			if err := r.Load(ctx); err != nil {
				t.Fatal(err)
			}

			d, err := ts.AddDomain(ctx, acme.ID, "App.Acme.example", "localhost")
			if err != nil {
				t.Fatal(err)
			}
			if d.Hostname != "app.acme.example" || d.Status != tenant.DomainPending || d.CertStatus != tenant.CertNone || len(d.VerificationToken) != 32 || d.NextCheckAt == nil {
				t.Fatalf("new domain = %+v", d)
			}
			// One hostname belongs to one agency.
			var de *field.Error
			if _, err := ts.AddDomain(ctx, beta.ID, "app.acme.example"); !errors.As(err, &de) || de.Code != field.HostnameTaken {
				t.Errorf("claiming another agency's hostname = %v", err)
			}
			if _, err := ts.AddDomain(ctx, acme.ID, "app.acme.example."); !errors.As(err, &de) || de.Code != field.HostnameTaken {
				t.Errorf("claiming it twice = %v", err)
			}
			if _, err := ts.AddDomain(ctx, beta.ID, "portal.beta.example"); err != nil {
				t.Fatal(err)
			}

			// Reads are scoped by agency.
			if _, err := ts.Domain(ctx, beta.ID, "app.acme.example"); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("another agency's domain = %v, want not found", err)
			}
			if ds, err := ts.DomainsOf(ctx, acme.ID); err != nil || len(ds) != 1 || ds[0].Hostname != "app.acme.example" {
				t.Errorf("DomainsOf = %v, %v", ds, err)
			}
			if ds, err := ts.AllDomains(ctx, 0, 0); err != nil || len(ds) != 2 {
				t.Errorf("AllDomains = %v, %v", ds, err)
			}

			// Due checks are claimed once.
			claimed, err := ts.ClaimDueDomains(ctx, 10, time.Minute)
			if err != nil || len(claimed) != 2 {
				t.Fatalf("claim = %d, %v", len(claimed), err)
			}
			if again, err := ts.ClaimDueDomains(ctx, 10, time.Minute); err != nil || len(again) != 0 {
				t.Errorf("second claim = %d, %v; want none", len(again), err)
			}

			checkDomainStatuses(t, ts, r, d)

			// Deleting is scoped by agency too.
			if err := ts.DeleteDomain(ctx, beta.ID, "app.acme.example"); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("deleting another agency's domain = %v", err)
			}
			if err := ts.DeleteDomain(ctx, acme.ID, "app.acme.example"); err != nil {
				t.Fatal(err)
			}
			if _, err := ts.DomainByHostname(ctx, "app.acme.example"); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("deleted domain = %v", err)
			}
			// Freed, it can be claimed by another agency.
			if _, err := ts.AddDomain(ctx, beta.ID, "app.acme.example"); err != nil {
				t.Errorf("claiming a freed hostname = %v", err)
			}
		})
	}
}

// checkDomainStatuses changes d's DNS and certificate statuses: each is
// stored, and a verified domain reaches the resolver with the next refresh.
func checkDomainStatuses(t *testing.T, ts *tenant.Store, r *tenant.Resolver, d *tenant.Domain) {
	t.Helper()
	ctx := context.Background()
	det := tenant.DNSDetail{TXTOK: true, CNAME: "elsewhere.example", Expected: "localhost"}
	if err := ts.SetDomainStatus(ctx, d.ID, tenant.DomainMisconfigured, det.Encode(), "", nil); err != nil {
		t.Fatal(err)
	}
	got, _ := ts.DomainByHostname(ctx, "app.acme.example")
	if got.Status != tenant.DomainMisconfigured || got.Checks != 1 || got.DNS().CNAME != "elsewhere.example" || !got.UpdatedAt.After(d.UpdatedAt) {
		t.Errorf("after misconfigured: %+v", got)
	}
	if err := ts.SetDomainStatus(ctx, d.ID, tenant.DomainVerified, "", tenant.VerifiedByOperator, nil); err != nil {
		t.Fatal(err)
	}
	if err := r.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if !r.Allowed("app.acme.example") || r.Resolve("app.acme.example").Kind != tenant.AgencyHost {
		t.Error("verified domain not served after refresh")
	}
	exp := time.Now().Add(90 * 24 * time.Hour).UTC().Truncate(time.Second)
	if err := ts.SetCertStatus(ctx, "app.acme.example", tenant.CertActive, &exp, ""); err != nil {
		t.Fatal(err)
	}
	if err := ts.SetCertStatus(ctx, "app.acme.example", tenant.CertRenewalFailing, nil, "rateLimited: too many"); err != nil {
		t.Fatal(err)
	}
	got, _ = ts.DomainByHostname(ctx, "app.acme.example")
	if got.CertStatus != tenant.CertRenewalFailing || got.CertExpiresAt == nil || !got.CertExpiresAt.Equal(exp) || got.CertError != "rateLimited: too many" || got.CertFailedAt == nil {
		t.Errorf("certificate status = %+v", got)
	}
	if err := ts.SetCertStatus(ctx, "nobody.example", tenant.CertActive, nil, ""); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("status of an unknown host = %v", err)
	}
}
