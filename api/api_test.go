package api_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"workrate/api"
	"workrate/migrations/testdb"
	"workrate/server/servertest"
)

func TestAPIKeyAuthentication(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			w := newWorld(t, db)
			keyA, keyB := w.apiKey(w.A), w.apiKey(w.B)
			b := w.env.Browser()
			cases := []struct {
				name, host, auth string
				status           int
			}{
				{"no header", w.hostA, "", http.StatusUnauthorized},
				{"not bearer", w.hostA, "Basic " + keyA, http.StatusUnauthorized},
				{"unknown key", w.hostA, "Bearer wrk_nope", http.StatusUnauthorized},
				{"junk", w.hostA, "Bearer \x7f", http.StatusUnauthorized},
				{"other agency's key on this host", w.hostA, "Bearer " + keyB, http.StatusUnauthorized},
				{"own key", w.hostA, "Bearer " + keyA, http.StatusOK},
				{"lowercase scheme", w.hostA, "bearer " + keyA, http.StatusOK},
				{"any key on the platform host", "localhost", "Bearer " + keyB, http.StatusOK},
			}
			for _, c := range cases {
				t.Run(c.name, func(t *testing.T) {
					b.Header.Set("Authorization", c.auth)
					defer b.Header.Del("Authorization")
					r := b.Get(c.host, "/api/v1/settings/rates")
					if r.Status != c.status {
						t.Fatalf("status %d, want %d: %s", r.Status, c.status, r.Body)
					}
					if c.status != http.StatusOK {
						if code, _ := apiErrorOf(t, r); code == "" {
							t.Fatal("no code")
						}
					}
				})
			}
			// On the platform host the key acts for its own agency.
			b.JSON("PUT", w.hostB, "/api/v1/settings/rates", keyB, `[{"service":"Bolt design","hourly_rate_cents":100,"currency":"EUR"}]`)
			if r := b.JSON("GET", "localhost", "/api/v1/settings/rates", keyB, ""); !strings.Contains(r.Body, "Bolt design") {
				t.Fatalf("platform host with B's key: %s", r.Body)
			}
			if r := b.JSON("GET", "localhost", "/api/v1/settings/rates", keyA, ""); r.Body != "[]" {
				t.Fatalf("platform host with A's key shows %s", r.Body)
			}
			// Unknown API paths answer the envelope too.
			if r := b.JSON("GET", w.hostA, "/api/v1/nothing/here", keyA, ""); r.Status != http.StatusNotFound {
				t.Fatalf("unknown path = %d", r.Status)
			} else {
				apiErrorOf(t, r)
			}
		})
	}
}

func TestAPIRates(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			w := newWorld(t, db)
			key := w.apiKey(w.A)
			b := w.env.Browser()
			if r := b.JSON("GET", w.hostA, "/api/v1/settings/rates", key, ""); r.Status != 200 || r.Body != "[]" {
				t.Fatalf("empty rates = %d %s", r.Status, r.Body)
			}
			good := `[{"service":"Design","hourly_rate_cents":9500,"currency":"eur"},{"service":"Development","hourly_rate_cents":11000,"currency":"EUR"}]`
			r := b.JSON("PUT", w.hostA, "/api/v1/settings/rates", key, good)
			if r.Status != 200 {
				t.Fatalf("PUT = %d %s", r.Status, r.Body)
			}
			var got []map[string]any
			if err := json.Unmarshal([]byte(r.Body), &got); err != nil || len(got) != 2 {
				t.Fatalf("answer %s", r.Body)
			}
			keys := []string{}
			for k := range got[0] {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			if !slices.Equal(keys, []string{"currency", "hourly_rate_cents", "service"}) || got[0]["currency"] != "EUR" {
				t.Fatalf("rate shape %v", got[0])
			}

			checkRefusedBodies(t, b, w.hostA, key, "/api/v1/settings/rates", badRateBodies())
			// Nothing of the refused bodies was stored.
			if r := b.JSON("GET", w.hostA, "/api/v1/settings/rates", key, ""); !strings.Contains(r.Body, "Development") || strings.Count(r.Body, "service") != 2 {
				t.Fatalf("rates after refusals: %s", r.Body)
			}
			// Another agency sees none of them.
			if r := b.JSON("GET", w.hostB, "/api/v1/settings/rates", w.apiKey(w.B), ""); r.Body != "[]" {
				t.Fatalf("B sees %s", r.Body)
			}
			if r := b.JSON("PUT", w.hostA, "/api/v1/settings/rates", key, `[]`); r.Status != 200 || r.Body != "[]" {
				t.Fatalf("clearing = %d %s", r.Status, r.Body)
			}
		})
	}
}

// badBody is a request body the API must refuse, and how.
type badBody struct {
	name, body, contentType string
	status                  int
	code, mention           string
}

// badRateBodies are the refused bodies of PUT /settings/rates.
func badRateBodies() []badBody {
	return []badBody{
		{"invalid JSON", `[{"service":`, "", 400, "invalid_json", ""},
		{"not JSON", `hello`, "", 400, "invalid_json", ""},
		{"empty body", ``, "", 400, "invalid_json", ""},
		{"two documents", `[] []`, "", 400, "invalid_json", ""},
		{"object, not array", `{"service":"x"}`, "", 400, "invalid_type", "array"},
		{"null", `null`, "", 400, "invalid_type", "array"},
		{"unknown field", `[{"service":"x","hourly_rate_cents":1,"currency":"EUR","vat":1}]`, "", 400, "unknown_field", "vat"},
		{"wrong type", `[{"service":"x","hourly_rate_cents":"ten","currency":"EUR"}]`, "", 400, "invalid_type", "hourly_rate_cents"},
		{"fraction of a cent", `[{"service":"x","hourly_rate_cents":1.5,"currency":"EUR"}]`, "", 400, "invalid_type", "hourly_rate_cents"},
		{"missing field", `[{"service":"x","currency":"EUR"}]`, "", 422, "invalid_field", "[0].hourly_rate_cents"},
		{"negative", `[{"service":"x","hourly_rate_cents":-1,"currency":"EUR"}]`, "", 422, "invalid_field", "negative"},
		{"bad currency", `[{"service":"x","hourly_rate_cents":1,"currency":"EURO"}]`, "", 422, "invalid_field", "[0].currency"},
		{"blank service", `[{"service":" ","hourly_rate_cents":1,"currency":"EUR"}]`, "", 422, "invalid_field", "[0].service"},
		{"duplicate", `[{"service":"A","hourly_rate_cents":1,"currency":"EUR"},{"service":"a","hourly_rate_cents":2,"currency":"EUR"}]`, "", 422, "invalid_field", "[1].service"},
		{"oversized", `[{"service":"` + strings.Repeat("x", 300<<10) + `","hourly_rate_cents":1,"currency":"EUR"}]`, "", 413, "body_too_large", ""},
		{"form body", `service=x`, "application/x-www-form-urlencoded", 415, "unsupported_media_type", ""},
	}
}

// checkRefusedBodies PUTs each body to path and wants its status and an error
// envelope with its code, mentioning what it should.
func checkRefusedBodies(t *testing.T, b *servertest.Browser, host, key, path string, bad []badBody) {
	t.Helper()
	for _, c := range bad {
		t.Run(c.name, func(t *testing.T) {
			b.Header.Set("Authorization", "Bearer "+key)
			defer b.Header.Del("Authorization")
			ct := c.contentType
			if ct == "" {
				ct = "application/json"
			}
			r := b.Do("PUT", host, path, strings.NewReader(c.body), ct)
			if r.Status != c.status {
				t.Fatalf("status %d, want %d: %s", r.Status, c.status, r.Body)
			}
			code, msg := apiErrorOf(t, r)
			if code != c.code || !strings.Contains(msg, c.mention) {
				t.Fatalf("error %s %q, want %s mentioning %q", code, msg, c.code, c.mention)
			}
		})
	}
}

// TestOpenAPIMatchesRoutes fails when a route of the engine under /api/v1 is
// missing from the document, or the document names a route that does not exist.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	w := newWorld(t, testdb.SQLite(t))
	r := w.env.Browser().Get(w.hostA, "/api/v1/openapi.json")
	if r.Status != http.StatusOK {
		t.Fatalf("openapi.json = %d", r.Status)
	}
	var doc struct {
		OpenAPI string                    `json:"openapi"`
		Paths   map[string]map[string]any `json:"paths"`
	}
	if err := json.Unmarshal([]byte(r.Body), &doc); err != nil || !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Fatalf("not an OpenAPI 3 document: %v %.200s", err, r.Body)
	}
	documented := map[string]bool{}
	for p, ops := range doc.Paths {
		for m := range ops {
			documented[strings.ToUpper(m)+" "+p] = true
		}
	}
	served := map[string]bool{}
	for _, rt := range w.env.App.Routes() {
		if p, ok := strings.CutPrefix(rt.Path, api.Prefix); ok {
			served[rt.Method+" "+api.OpenAPIPath(p)] = true
		}
	}
	if len(served) < 3 {
		t.Fatalf("only %d API routes found", len(served))
	}
	for k := range served {
		if !documented[k] {
			t.Errorf("route %s is missing from the OpenAPI document", k)
		}
	}
	for k := range documented {
		if !served[k] {
			t.Errorf("the OpenAPI document names %s, which is not a route", k)
		}
	}
	// Every write documents its Idempotency-Key.
	for p, ops := range doc.Paths {
		for m, op := range ops {
			if m != "post" && m != "put" && m != "patch" {
				continue
			}
			if body, _ := json.Marshal(op); !strings.Contains(string(body), `"name":"Idempotency-Key"`) {
				t.Errorf("%s %s does not document the Idempotency-Key header", strings.ToUpper(m), p)
			}
		}
	}
}

// A NUL escaped in JSON (or in the query) is refused as invalid text with a
// 400, never passed on to a query that cannot store it.
func TestAPIRefusesUnstorableText(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			w := newWorld(t, db)
			key := w.apiKey(w.A)
			b := w.env.Browser()
			for _, c := range []struct{ method, path, body string }{
				{http.MethodPost, "/api/v1/workspaces", `{"name":"Bake\u0000ry","contact_email":"a@b.example"}`},
				{http.MethodPost, "/api/v1/domains", `{"hostname":"\u0000"}`},
				{http.MethodGet, "/api/v1/workspaces?q=%00", ""},
			} {
				r := b.JSON(c.method, w.hostA, c.path, key, c.body)
				if code, _ := apiErrorOf(t, r); r.Status != http.StatusBadRequest || code != "invalid_text" {
					t.Errorf("%s %s %s = %d %s; want 400 invalid_text", c.method, c.path, c.body, r.Status, r.Body)
				}
			}
			r := b.JSON(http.MethodPost, w.hostA, "/api/v1/workspaces", key, `{"name":"Bakery","contact_email":"a@b.example"}`)
			if r.Status != http.StatusCreated {
				t.Errorf("the same workspace without the NUL = %d %s", r.Status, r.Body)
			}
		})
	}
}
