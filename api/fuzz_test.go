package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"workrate/auth"
	"workrate/fixture"
	"workrate/migrations/testdb"
	"workrate/server/servertest"
)

// FuzzAPIJSON sends random bodies to the API routes that decode JSON: the
// answer is a 2xx or a 4xx in the API's error envelope, never a 5xx.
func FuzzAPIJSON(f *testing.F) {
	for i, s := range []string{`{}`, `[]`, `null`, `{"name":"x"}`, `{"title":1}`, `{"status":"done","due_on":"2026-13-45"}`,
		`{"lines":[{"quantity":1e308,"unit_price_cents":9223372036854775807}]}`, `{"body":"` + strings.Repeat("x", 5000) + `"}`,
		`{"enabled":true,"login_email":"a@b.c","tools":["nope"]}`, `{"a":{"a":{"a":{"a":[[[[[]]]]]}}}}`, "\xff\xfe", `{"name":"\u0000"}`,
		`[{"service":"x","hourly_rate_cents":-1,"currency":"EU"}]`, `{"hostname":"*.evil..example"}`, `{"platform_name":null}`} {
		f.Add(uint8(i), s)
	}
	db := testdb.SQLite(f)
	fx := fixture.New(f, db.DB)
	token, _, err := auth.NewStore(db.DB).CreateAPIKey(context.Background(), fx.A.ID, "fuzz", fx.StaffA.ID)
	if err != nil {
		f.Fatal(err)
	}
	env := servertest.New(f, db)
	ws := "/api/v1/workspaces/" + fx.A1.ID
	routes := []struct{ method, path string }{
		{"POST", "/api/v1/workspaces"},
		{"PATCH", ws},
		{"POST", ws + "/tasks"},
		{"PATCH", ws + "/tasks/" + fx.A1.TaskID},
		{"POST", ws + "/messages"},
		{"POST", ws + "/tickets"},
		{"PATCH", ws + "/tickets/" + fx.A1.TicketID},
		{"POST", ws + "/tickets/" + fx.A1.TicketID + "/comments"},
		{"POST", ws + "/invoices"},
		{"PATCH", ws + "/invoices/" + fx.A1.DraftInvoiceID},
		{"POST", ws + "/notes"},
		{"PUT", ws + "/portal"},
		{"PUT", "/api/v1/settings/rates"},
		{"POST", "/api/v1/domains"},
		{"PUT", "/api/v1/branding"},
	}
	f.Fuzz(func(t *testing.T, which uint8, body string) {
		rt := routes[int(which)%len(routes)]
		r := env.For(t).Browser().JSON(rt.method, "agency-a.localhost", rt.path, token, body)
		if r.Status >= 500 {
			t.Fatalf("%s %s %q = %d: %s", rt.method, rt.path, body, r.Status, r.Body)
		}
		if r.Status >= 400 && !strings.Contains(r.Body, `"error"`) {
			t.Fatalf("%s %s = %d without the error envelope: %s", rt.method, rt.path, r.Status, r.Body)
		}
		if r.Status != http.StatusNoContent && !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
			t.Fatalf("%s %s = %d as %q", rt.method, rt.path, r.Status, r.Header.Get("Content-Type"))
		}
	})
}
