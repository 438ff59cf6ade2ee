package agency_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"workrate/migrations/testdb"
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

			// Refused hostnames say why, in the reader's language.
			cases := []struct{ in, want string }{
				{"*.acme.example", "Wildcard"},
				{"10.0.0.1", "IP address"},
				{"bolt.localhost", "platform"},
				{"app.acme-client.example", "already in use"},
			}
			for _, c := range cases {
				r := owner.Post(w.hostA, "/staff/settings/domains", map[string][]string{"hostname": {c.in}})
				if r.Status < 400 || r.Status >= 500 || !strings.Contains(r.Body, c.want) {
					t.Errorf("add %q = %d, want a refusal mentioning %q", c.in, r.Status, c.want)
				}
			}
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

func TestAPIDomains(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			w := newWorld(t, db)
			keyA, keyB := w.apiKey(w.A), w.apiKey(w.B)
			b := w.env.Browser()

			r := b.JSON(http.MethodPost, w.hostA, "/api/v1/domains", keyA, `{"hostname":"Portal.Acme-Client.example"}`)
			if r.Status != http.StatusCreated {
				t.Fatalf("POST /domains = %d %s", r.Status, r.Body)
			}
			var d struct {
				Hostname     string `json:"hostname"`
				Status       string `json:"status"`
				Verification struct {
					Type, Name, Value string
				} `json:"verification"`
				CNAMETarget string `json:"cname_target"`
				Certificate struct {
					Status string `json:"status"`
				} `json:"certificate"`
			}
			if err := json.Unmarshal([]byte(r.Body), &d); err != nil {
				t.Fatal(err)
			}
			if d.Hostname != "portal.acme-client.example" || d.Status != "pending" || d.Verification.Type != "TXT" ||
				d.Verification.Name != "_workrate-challenge.portal.acme-client.example" || len(d.Verification.Value) != 32 ||
				d.CNAMETarget != "localhost" || d.Certificate.Status != "none" {
				t.Errorf("POST /domains answered %s", r.Body)
			}

			// Errors are the envelope with a fitting 4xx.
			errs := []struct {
				body   string
				status int
				code   string
			}{
				{`{"hostname":"*.acme.example"}`, http.StatusUnprocessableEntity, "invalid_field"},
				{`{"hostname":"192.0.2.1"}`, http.StatusUnprocessableEntity, "invalid_field"},
				{`{"hostname":"x.localhost"}`, http.StatusUnprocessableEntity, "invalid_field"},
				{`{}`, http.StatusUnprocessableEntity, "invalid_field"},
				{`{"hostname":7}`, http.StatusBadRequest, "invalid_type"},
				{`{"hostname":"a.example","extra":1}`, http.StatusBadRequest, "unknown_field"},
				{`{"hostname":"portal.acme-client.example"}`, http.StatusConflict, "hostname_taken"},
			}
			for _, e := range errs {
				r := b.JSON(http.MethodPost, w.hostA, "/api/v1/domains", keyA, e.body)
				if code, _ := apiErrorOf(t, r); r.Status != e.status || code != e.code {
					t.Errorf("POST %s = %d %s, want %d %s", e.body, r.Status, code, e.status, e.code)
				}
			}
			if r := b.JSON(http.MethodPost, w.hostB, "/api/v1/domains", keyB, `{"hostname":"portal.acme-client.example"}`); r.Status != http.StatusConflict {
				t.Errorf("another agency claiming it = %d", r.Status)
			}

			// Read: own agency only; another agency's key on this host is refused.
			if r := b.JSON(http.MethodGet, w.hostA, "/api/v1/domains/portal.acme-client.example", keyA, ""); r.Status != http.StatusOK || !strings.Contains(r.Body, `"cname_target":"localhost"`) {
				t.Errorf("GET one = %d %s", r.Status, r.Body)
			}
			if r := b.JSON(http.MethodGet, "localhost", "/api/v1/domains/PORTAL.acme-client.example.", keyA, ""); r.Status != http.StatusOK {
				t.Errorf("GET on the platform host = %d", r.Status)
			}
			if r := b.JSON(http.MethodGet, w.hostB, "/api/v1/domains/portal.acme-client.example", keyB, ""); r.Status != http.StatusNotFound {
				t.Errorf("GET another agency's domain = %d", r.Status)
			}
			if r := b.JSON(http.MethodGet, w.hostB, "/api/v1/domains", keyA, ""); r.Status != http.StatusUnauthorized {
				t.Errorf("key on another agency's host = %d", r.Status)
			}
			if r := b.JSON(http.MethodGet, w.hostA, "/api/v1/domains/not..a..host", keyA, ""); r.Status != http.StatusNotFound {
				t.Errorf("GET junk = %d", r.Status)
			}
			var list struct {
				Items []struct {
					Hostname string `json:"hostname"`
				} `json:"items"`
				NextCursor *string `json:"next_cursor"`
			}
			r = b.JSON(http.MethodGet, w.hostA, "/api/v1/domains", keyA, "")
			if err := json.Unmarshal([]byte(r.Body), &list); err != nil || r.Status != http.StatusOK || len(list.Items) != 1 || list.NextCursor != nil {
				t.Errorf("GET /domains = %d %s", r.Status, r.Body)
			}
			r = b.JSON(http.MethodGet, w.hostB, "/api/v1/domains", keyB, "")
			if err := json.Unmarshal([]byte(r.Body), &list); err != nil || len(list.Items) != 0 {
				t.Errorf("agency B sees %s", r.Body)
			}

			// Delete: another agency cannot, the owner can, once.
			if r := b.JSON(http.MethodDelete, w.hostB, "/api/v1/domains/portal.acme-client.example", keyB, ""); r.Status != http.StatusNotFound {
				t.Errorf("DELETE by another agency = %d", r.Status)
			}
			if r := b.JSON(http.MethodDelete, w.hostA, "/api/v1/domains/portal.acme-client.example", keyA, ""); r.Status != http.StatusNoContent {
				t.Errorf("DELETE = %d %s", r.Status, r.Body)
			}
			if r := b.JSON(http.MethodDelete, w.hostA, "/api/v1/domains/portal.acme-client.example", keyA, ""); r.Status != http.StatusNotFound {
				t.Errorf("second DELETE = %d", r.Status)
			}
		})
	}
}
