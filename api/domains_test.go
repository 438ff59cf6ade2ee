package api_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"workrate/migrations/testdb"
	"workrate/server/servertest"
)

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

			checkDomainRefusals(t, b, w.hostA, keyA)
			if r := b.JSON(http.MethodPost, w.hostB, "/api/v1/domains", keyB, `{"hostname":"portal.acme-client.example"}`); r.Status != http.StatusConflict {
				t.Errorf("another agency claiming it = %d", r.Status)
			}

			checkDomainReads(t, b, w.hostA, w.hostB, keyA, keyB)

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

// checkDomainRefusals wants refused hostnames answered with the error
// envelope and a fitting 4xx.
func checkDomainRefusals(t *testing.T, b *servertest.Browser, host, key string) {
	t.Helper()
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
		r := b.JSON(http.MethodPost, host, "/api/v1/domains", key, e.body)
		if code, _ := apiErrorOf(t, r); r.Status != e.status || code != e.code {
			t.Errorf("POST %s = %d %s, want %d %s", e.body, r.Status, code, e.status, e.code)
		}
	}
}

// checkDomainReads: an agency reads its own domains only, and another
// agency's key on its host is refused.
func checkDomainReads(t *testing.T, b *servertest.Browser, hostA, hostB, keyA, keyB string) {
	t.Helper()
	if r := b.JSON(http.MethodGet, hostA, "/api/v1/domains/portal.acme-client.example", keyA, ""); r.Status != http.StatusOK || !strings.Contains(r.Body, `"cname_target":"localhost"`) {
		t.Errorf("GET one = %d %s", r.Status, r.Body)
	}
	if r := b.JSON(http.MethodGet, "localhost", "/api/v1/domains/PORTAL.acme-client.example.", keyA, ""); r.Status != http.StatusOK {
		t.Errorf("GET on the platform host = %d", r.Status)
	}
	if r := b.JSON(http.MethodGet, hostB, "/api/v1/domains/portal.acme-client.example", keyB, ""); r.Status != http.StatusNotFound {
		t.Errorf("GET another agency's domain = %d", r.Status)
	}
	if r := b.JSON(http.MethodGet, hostB, "/api/v1/domains", keyA, ""); r.Status != http.StatusUnauthorized {
		t.Errorf("key on another agency's host = %d", r.Status)
	}
	if r := b.JSON(http.MethodGet, hostA, "/api/v1/domains/not..a..host", keyA, ""); r.Status != http.StatusNotFound {
		t.Errorf("GET junk = %d", r.Status)
	}
	var list struct {
		Items []struct {
			Hostname string `json:"hostname"`
		} `json:"items"`
		NextCursor *string `json:"next_cursor"`
	}
	r := b.JSON(http.MethodGet, hostA, "/api/v1/domains", keyA, "")
	if err := json.Unmarshal([]byte(r.Body), &list); err != nil || r.Status != http.StatusOK || len(list.Items) != 1 || list.NextCursor != nil {
		t.Errorf("GET /domains = %d %s", r.Status, r.Body)
	}
	r = b.JSON(http.MethodGet, hostB, "/api/v1/domains", keyB, "")
	if err := json.Unmarshal([]byte(r.Body), &list); err != nil || len(list.Items) != 0 {
		t.Errorf("agency B sees %s", r.Body)
	}
}
