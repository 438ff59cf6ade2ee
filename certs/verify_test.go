package certs_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"workrate/certs"
	"workrate/certs/certstest"
	"workrate/migrations/testdb"
	"workrate/tenant"
)

func TestVerifier(t *testing.T) {
	p := certstest.Start(t, certstest.FreePort(t), certstest.FreePort(t))
	p.DNS.SetDefaultDNSIPv4("") // names without records resolve to nothing
	p.DNS.AddDNSARecord("edge.workrate.test", []string{"192.0.2.10"})
	v := certs.NewVerifier(p.DNSAddr, "edge.workrate.test.")
	const token = "0123456789abcdef0123456789abcdef"

	records := func(host, txt, cname string, a ...string) {
		if txt != "" {
			p.DNS.AddDNSTXTRecord(tenant.ChallengeName(host), txt)
		}
		if cname != "" {
			p.DNS.AddDNSCNAMERecord(host, cname)
		}
		if len(a) > 0 {
			p.DNS.AddDNSARecord(host, a)
		}
	}
	records("good.example", token, "edge.workrate.test")
	records("apex.example", token, "", "192.0.2.10")
	records("nottxt.example", "someone-elses-token", "edge.workrate.test")
	records("elsewhere.example", token, "old-host.example")
	p.DNS.AddDNSARecord("old-host.example", []string{"198.51.100.7"})
	records("txtonly.example", token, "")

	cases := []struct {
		host     string
		status   string
		txtOK    bool
		targetOK bool
		cname    string
		addrs    []string
	}{
		{"good.example", tenant.DomainVerified, true, true, "edge.workrate.test", nil},
		{"apex.example", tenant.DomainVerified, true, true, "", []string{"192.0.2.10"}},
		{"nottxt.example", tenant.DomainMisconfigured, false, true, "edge.workrate.test", nil},
		{"elsewhere.example", tenant.DomainMisconfigured, true, false, "old-host.example", []string{"198.51.100.7"}},
		{"txtonly.example", tenant.DomainMisconfigured, true, false, "", nil},
		{"nothing.example", tenant.DomainPending, false, false, "", nil},
	}
	for _, c := range cases {
		t.Run(c.host, func(t *testing.T) {
			d := &tenant.Domain{Hostname: c.host, Status: tenant.DomainPending, VerificationToken: token}
			status, det := v.Check(context.Background(), d)
			if status != c.status || det.TXTOK != c.txtOK || det.TargetOK != c.targetOK || det.CNAME != c.cname ||
				!slices.Equal(det.Addresses, c.addrs) || det.Expected != "edge.workrate.test" || det.LookupFailure != "" {
				t.Errorf("Check(%s) = %s %+v; want %s txt %v target %v cname %q addrs %v", c.host, status, det, c.status, c.txtOK, c.targetOK, c.cname, c.addrs)
			}
		})
	}

	// A DNS server that fails keeps the status and says why.
	p.DNS.AddDNSServFailRecord(tenant.ChallengeName("good.example"))
	d := &tenant.Domain{Hostname: "good.example", Status: tenant.DomainMisconfigured, VerificationToken: token}
	if status, det := v.Check(context.Background(), d); status != tenant.DomainMisconfigured || det.LookupFailure == "" {
		t.Errorf("Check with SERVFAIL = %s %+v", status, det)
	}
}

func TestDomainsBackgroundCheck(t *testing.T) {
	p := certstest.Start(t, certstest.FreePort(t), certstest.FreePort(t))
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			ctx := context.Background()
			ts := tenant.NewStore(db.DB)
			a, err := ts.CreateAgency(ctx, "Acme", "acme")
			if err != nil {
				t.Fatal(err)
			}
			r := tenant.NewResolver(db.DB, tenant.Config{PlatformHost: "workrate.test", AgencyDomain: "workrate.test", PlatformName: "WorkRate", Refresh: time.Hour, FullReload: time.Hour})
			if err := r.Load(ctx); err != nil {
				t.Fatal(err)
			}
			s := &certs.Domains{Store: ts, Verifier: certs.NewVerifier(p.DNSAddr, "edge.workrate.test"), Resolver: r, Platform: []string{"workrate.test"}}
			host := "portal-" + db.Name + ".example"
			if _, err := s.Add(ctx, a.ID, host); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Add(ctx, a.ID, "x.workrate.test"); err == nil {
				t.Error("a name under the platform's domain was accepted")
			}
			// Not there yet: checked, rescheduled with a growing delay.
			if err := s.CheckDue(ctx); err != nil {
				t.Fatal(err)
			}
			d, _ := ts.DomainByHostname(ctx, host)
			if d.Status == tenant.DomainVerified || d.Checks != 1 || d.NextCheckAt == nil || time.Until(*d.NextCheckAt) < 10*time.Second {
				t.Fatalf("after a failed check: %s checks=%d next=%v", d.Status, d.Checks, d.NextCheckAt)
			}
			if d.DNS().TXTOK {
				t.Error("TXT reported present")
			}
			// Not due again yet: nothing is checked.
			p.DNS.AddDNSTXTRecord(tenant.ChallengeName(host), d.VerificationToken)
			p.DNS.AddDNSCNAMERecord(host, "edge.workrate.test")
			if err := s.CheckDue(ctx); err != nil {
				t.Fatal(err)
			}
			if d, _ := ts.DomainByHostname(ctx, host); d.Status == tenant.DomainVerified {
				t.Fatal("checked before it was due")
			}
			// "Check again": verified, served at once by this instance.
			d, err = s.Check(ctx, d)
			if err != nil {
				t.Fatal(err)
			}
			if d.Status != tenant.DomainVerified || d.VerifiedBy != tenant.VerifiedByDNS || d.VerifiedAt == nil || d.NextCheckAt != nil {
				t.Fatalf("after a good check: %+v", d)
			}
			if r.Resolve(host).Kind != tenant.AgencyHost {
				t.Error("verified domain not served at once")
			}
			// Removed: not served at once.
			if err := s.Remove(ctx, a.ID, host); err != nil {
				t.Fatal(err)
			}
			if r.Resolve(host).Kind != tenant.Unknown {
				t.Error("removed domain still served")
			}
		})
	}
}
