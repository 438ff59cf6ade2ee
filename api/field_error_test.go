package api_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"workrate/field"
	"workrate/locale"
	"workrate/migrations/testdb"
)

// TestAPIFieldErrorsSpeakTheCatalog checks that a refused field is answered
// with the message the pages show, in English whatever the language asked
// for, naming the field; and that a special code keeps its own code.
func TestAPIFieldErrorsSpeakTheCatalog(t *testing.T) {
	en := locale.MustNew().Localizer("en")
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			w := newWorld(t, db)
			key := w.apiKey(w.A)
			ws := "/api/v1/workspaces/" + w.newClientWorkspace(w.A, "Bakery")
			b := w.env.Browser()
			b.Header.Set("Accept-Language", "de")
			cases := []struct {
				name, method, path, body string
				status                   int
				code                     string
				want                     *field.Error
			}{
				{"title too long", "POST", ws + "/tasks", `{"title":"` + strings.Repeat("t", 201) + `"}`, 422, "invalid_field",
					field.Limited("title", field.TooLong, 200)},
				{"title missing", "POST", ws + "/tasks", `{"description":"d"}`, 422, "invalid_field", field.New("title", field.Required)},
				{"invoice line quantity", "POST", ws + "/invoices", `{"number":"1","issued_on":"2026-01-01","due_on":"2026-01-31","currency":"EUR",` +
					`"lines":[{"description":"a","quantity":1,"unit_price_cents":1},{"description":"b","quantity":1.2345,"unit_price_cents":1}]}`,
					422, "invalid_field", field.New("lines[1].quantity", field.TooManyDecimals)},
				{"rate currency", "PUT", "/api/v1/settings/rates", `[{"service":"x","hourly_rate_cents":1,"currency":"EURO"}]`, 422, "invalid_field",
					field.New("[0].currency", field.InvalidCurrency)},
				{"wildcard hostname", "POST", "/api/v1/domains", `{"hostname":"*.acme.example"}`, 422, "invalid_field",
					field.New("hostname", field.HostnameWildcard)},
				{"short temporary password", "PUT", ws + "/portal", `{"enabled":true,"login_email":"c@example.com","temporary_password":"short"}`,
					422, "invalid_field", field.Limited("temporary_password", field.PasswordTooShort, 10)},
				{"colour", "PUT", "/api/v1/branding", `{"primary_color":"red"}`, 422, "branding.invalid_color",
					field.New("primary_color", field.InvalidColor)},
			}
			for _, c := range cases {
				t.Run(c.name, func(t *testing.T) {
					r := b.JSON(c.method, w.hostA, c.path, key, c.body)
					var env struct {
						Error struct{ Code, Message, Field string } `json:"error"`
					}
					if err := json.Unmarshal([]byte(r.Body), &env); err != nil || r.Status != c.status {
						t.Fatalf("status %d, want %d: %s", r.Status, c.status, r.Body)
					}
					msg := en.FieldMessage(c.want)
					if c.want.Field != "" {
						msg = c.want.Field + ": " + msg
					}
					if env.Error.Code != c.code || env.Error.Field != c.want.Field || env.Error.Message != msg {
						t.Fatalf("error %+v, want code %s, field %q, message %q", env.Error, c.code, c.want.Field, msg)
					}
					if strings.HasPrefix(env.Error.Message, "field.") || strings.Contains(env.Error.Message, "{{") {
						t.Fatalf("raw message %q", env.Error.Message)
					}
				})
			}
			if r := b.JSON(http.MethodGet, w.hostA, "/api/v1/settings/rates", key, ""); r.Body != "[]" {
				t.Fatalf("refused rates were stored: %s", r.Body)
			}
		})
	}
}
