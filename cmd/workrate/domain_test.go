package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"workrate/certs/certstest"
	"workrate/migrations/testdb"
	"workrate/tenant"
)

func TestDomainCommands(t *testing.T) {
	p := certstest.Start(t, certstest.FreePort(t), certstest.FreePort(t))
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			ctx := context.Background()
			ts := tenant.NewStore(db.DB)
			if _, err := ts.CreateAgency(ctx, "Acme", "acme"); err != nil {
				t.Fatal(err)
			}
			if _, err := ts.CreateAgency(ctx, "Beta", "beta"); err != nil {
				t.Fatal(err)
			}
			common := []string{"--database-url", db.URL, "--dns-resolver", p.DNSAddr, "--cname-target", "edge.workrate.test", "--platform-host", "workrate.test", "--agency-domain", "agencies.workrate.test"}
			run := func(args ...string) (string, error) {
				var out bytes.Buffer
				err := run(ctx, append(args, common...), &out)
				return out.String(), err
			}
			one := func(out string) cliDomain {
				t.Helper()
				var d cliDomain
				if err := json.Unmarshal([]byte(out), &d); err != nil {
					t.Fatalf("not one domain as JSON: %v: %s", err, out)
				}
				return d
			}

			host := "Portal." + db.Name + ".Acme-Client.example"
			out, err := run("domain", "add", "--agency", "acme", host)
			if err != nil {
				t.Fatal(err)
			}
			d := one(out)
			want := strings.ToLower(host)
			if d.Agency != "acme" || d.Hostname != want || d.Status != tenant.DomainPending || d.Verification.Type != "TXT" ||
				d.Verification.Name != "_workrate-challenge."+want || len(d.Verification.Value) != 32 || d.CNAMETarget != "edge.workrate.test" ||
				d.Certificate.Status != tenant.CertNone {
				t.Errorf("domain add printed %s", out)
			}

			checkDomainCommandFailures(t, run, want)

			// Verify checks DNS now: nothing yet, then the records.
			out, err = run("domain", "verify", want)
			if err != nil {
				t.Fatal(err)
			}
			if d := one(out); d.Status == tenant.DomainVerified || d.DNS == nil || d.DNS.TXTOK {
				t.Errorf("verify before DNS printed %s", out)
			}
			p.DNS.AddDNSTXTRecord(d.Verification.Name, d.Verification.Value)
			p.DNS.AddDNSCNAMERecord(want, "edge.workrate.test")
			out, err = run("domain", "verify", want)
			if err != nil {
				t.Fatal(err)
			}
			if d := one(out); d.Status != tenant.DomainVerified || d.VerifiedAt == nil {
				t.Errorf("verify after DNS printed %s", out)
			}

			// Approve: verified without DNS.
			if _, err := run("domain", "add", "beta.example", "--agency", "beta"); err != nil {
				t.Fatal(err)
			}
			out, err = run("domain", "approve", "BETA.example.")
			if err != nil {
				t.Fatal(err)
			}
			if d := one(out); d.Status != tenant.DomainVerified || d.Agency != "beta" {
				t.Errorf("approve printed %s", out)
			}
			if bd, _ := ts.DomainByHostname(ctx, "beta.example"); bd.VerifiedBy != tenant.VerifiedByOperator {
				t.Errorf("approved domain verified by %q", bd.VerifiedBy)
			}

			checkDomainList(t, run, want)
		})
	}
}

// checkDomainCommandFailures wants each bad domain command to fail with a
// one-line error that says why, and print nothing; want is a hostname acme
// holds.
func checkDomainCommandFailures(t *testing.T, run func(args ...string) (string, error), want string) {
	t.Helper()
	failures := []struct {
		args []string
		msg  string
	}{
		{[]string{"domain", "add", "--agency", "acme", "*.acme.example"}, "wildcard"},
		{[]string{"domain", "add", "--agency", "beta", want}, "already claimed"},
		{[]string{"domain", "add", "--agency", "acme", "x.agencies.workrate.test"}, "platform"},
		{[]string{"domain", "add", "--agency", "acme", "192.0.2.1"}, "IP address"},
		{[]string{"domain", "add", "--agency", "nobody", "app.nobody.example"}, "no agency"},
		{[]string{"domain", "add", "app.acme.example"}, "--agency is required"},
		{[]string{"domain", "add", "--agency", "acme"}, "HOSTNAME is required"},
		{[]string{"domain", "verify", "nothing.example"}, "no domain"},
		{[]string{"domain", "approve", "bad host!"}, "not a hostname"},
		{[]string{"domain", "list", "--agency", "nobody"}, "no agency"},
	}
	for _, f := range failures {
		out, err := run(f.args...)
		if err == nil || !strings.Contains(err.Error(), f.msg) || out != "" {
			t.Errorf("%v = %q, %v; want an error containing %q and no output", f.args, out, err, f.msg)
		}
		if err != nil && strings.Contains(err.Error(), "\n") {
			t.Errorf("%v: error spans lines: %q", f.args, err)
		}
	}
	if _, err := run("domain", "add", "--agency", "acme"); !errors.Is(err, errUsage) {
		t.Errorf("missing HOSTNAME is not a usage error: %v", err)
	}
}

// checkDomainList: domain list prints every agency's domains (beta's
// beta.example, then acme's want), or one agency's with --agency.
func checkDomainList(t *testing.T, run func(args ...string) (string, error), want string) {
	t.Helper()
	var all []cliDomain
	out, err := run("domain", "list")
	if err != nil || json.Unmarshal([]byte(out), &all) != nil || len(all) != 2 {
		t.Fatalf("domain list = %s, %v", out, err)
	}
	if all[0].Hostname != "beta.example" || all[0].Agency != "beta" || all[1].Agency != "acme" {
		t.Errorf("domain list = %s", out)
	}
	out, err = run("domain", "list", "--agency", "acme")
	if err != nil || json.Unmarshal([]byte(out), &all) != nil || len(all) != 1 || all[0].Hostname != want {
		t.Errorf("domain list --agency acme = %s, %v", out, err)
	}
}
