package agency_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"workrate/migrations/testdb"
	"workrate/server/servertest"
	"workrate/tenant"
)

func TestStaffDomainsPage(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			w := newWorld(t, db)
			owner := w.signIn("A-owner", w.hostA)

			// Members have no such page; other agencies' domains are out of reach.
			member := w.signIn("A-member", w.hostA)
			if r := member.Get(w.hostA, "/staff/settings/domains"); r.Status != http.StatusNotFound {
				t.Errorf("member sees the domains page: %d", r.Status)
			}
			if r := owner.Get(w.hostA, "/staff/settings/domains"); r.Status != http.StatusOK || !strings.Contains(r.Body, `href="/staff/settings/domains"`) {
				t.Fatalf("owner's domains page = %d", r.Status)
			}

			// Add: the page shows the records to create, copyable.
			r := owner.Post(w.hostA, "/staff/settings/domains", map[string][]string{"hostname": {"App.Acme-Client.example"}})
			if r.Status != http.StatusSeeOther {
				t.Fatalf("add = %d %.300s", r.Status, r.Body)
			}
			d, err := w.tenant.Domain(context.Background(), w.A.ID, "app.acme-client.example")
			if err != nil {
				t.Fatal(err)
			}
			r = owner.Get(w.hostA, "/staff/settings/domains?done=domain_added")
			for _, want := range []string{
				"app.acme-client.example", `value="_workrate-challenge.app.acme-client.example"`, `value="` + d.VerificationToken + `"`,
				`value="localhost"`, "data-copy=", "Awaiting DNS", "Waiting for the domain", "Check again", "create the DNS records",
			} {
				if !strings.Contains(r.Body, want) {
					t.Errorf("domains page lacks %q", want)
				}
			}
			// Both statuses side by side once verified and issued.
			if err := w.tenant.SetDomainStatus(context.Background(), d.ID, tenant.DomainVerified, "", tenant.VerifiedByDNS, nil); err != nil {
				t.Fatal(err)
			}
			if err := w.tenant.SetCertStatus(context.Background(), d.Hostname, tenant.CertFailed, nil, "connection: refused"); err != nil {
				t.Fatal(err)
			}
			r = owner.Get(w.hostA, "/staff/settings/domains")
			if !strings.Contains(r.Body, "Verified") || !strings.Contains(r.Body, "The certificate authority said: connection: refused") {
				t.Errorf("statuses after verification: %.2000s", r.Body)
			}

			checkRefusedHostnames(t, owner, w.hostA)
			other := w.signIn("B-owner", w.hostB)
			if r := other.Post(w.hostB, "/staff/settings/domains", map[string][]string{"hostname": {"app.acme-client.example"}}); r.Status != http.StatusConflict {
				t.Errorf("another agency claiming the hostname = %d", r.Status)
			}
			// Another agency cannot check or remove it: 404.
			for _, path := range []string{"/staff/settings/domains/app.acme-client.example/check", "/staff/settings/domains/app.acme-client.example/delete"} {
				if r := other.Post(w.hostB, path, nil); r.Status != http.StatusNotFound {
					t.Errorf("POST %s by another agency = %d", path, r.Status)
				}
			}

			// The domain is served; removing it stops that at once.
			w.env.Reload()
			if r := owner.Get("app.acme-client.example", "/"); r.Status == http.StatusNotFound {
				t.Fatal("verified domain not served")
			}
			if r := owner.Post(w.hostA, "/staff/settings/domains/app.acme-client.example/delete", nil); r.Status != http.StatusSeeOther {
				t.Fatalf("remove = %d", r.Status)
			}
			if r := owner.Get("app.acme-client.example", "/"); r.Status != http.StatusNotFound {
				t.Errorf("removed domain still served: %d", r.Status)
			}
		})
	}
}

// checkRefusedHostnames wants each refused hostname to say why, in the
// reader's language.
func checkRefusedHostnames(t *testing.T, owner *servertest.Browser, host string) {
	t.Helper()
	cases := []struct{ in, want string }{
		{"*.acme.example", "Wildcard"},
		{"10.0.0.1", "IP address"},
		{"bolt.localhost", "platform"},
		{"app.acme-client.example", "already in use"},
	}
	for _, c := range cases {
		r := owner.Post(host, "/staff/settings/domains", map[string][]string{"hostname": {c.in}})
		if r.Status < 400 || r.Status >= 500 || !strings.Contains(r.Body, c.want) {
			t.Errorf("add %q = %d, want a refusal mentioning %q", c.in, r.Status, c.want)
		}
	}
}
