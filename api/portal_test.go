package api_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"workrate/migrations/testdb"
	"workrate/server/servertest"
)

type portalAnswer struct {
	Enabled            bool     `json:"enabled"`
	LoginEmail         string   `json:"login_email"`
	Tools              []string `json:"tools"`
	MustChangePassword bool     `json:"must_change_password"`
	PasswordExpiresAt  *string  `json:"password_expires_at"`
	LastLoginAt        *string  `json:"last_login_at"`
	LoginURL           string   `json:"login_url"`
	TemporaryPassword  string   `json:"temporary_password"`
	OnboardingMessage  string   `json:"onboarding_message"`
}

func decodePortal(t *testing.T, r *servertest.Response) portalAnswer {
	t.Helper()
	var p portalAnswer
	if err := json.Unmarshal([]byte(r.Body), &p); err != nil {
		t.Fatalf("answer %d is not a portal: %.300s", r.Status, r.Body)
	}
	return p
}

func TestPortalAPIEveryStep(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			w := newWorld(t, db)
			wsID := w.newClientWorkspace(w.A, "Acme Bakery")
			wsB := w.newClientWorkspace(w.B, "Bolt client")
			key, keyB := w.apiKey(w.A), w.apiKey(w.B)
			api := w.env.Browser()
			path := "/api/v1/workspaces/" + wsID + "/portal"
			put := func(body string) *servertest.Response { return api.JSON(http.MethodPut, w.hostA, path, key, body) }

			r := api.JSON(http.MethodGet, w.hostA, path, key, "")
			if p := decodePortal(t, r); r.Status != 200 || p.Enabled || p.LoginEmail != "" || p.Tools == nil || len(p.Tools) != 0 || p.LoginURL != "http://acme.localhost/login" {
				t.Fatalf("GET without account: %d %s", r.Status, r.Body)
			}
			checkPortalRefusals(t, put)

			r = put(`{"enabled":true,"login_email":" C@Bakery.example","generate_password":true,"tools":["tickets","dashboard"]}`)
			p := decodePortal(t, r)
			if r.Status != 200 || !p.Enabled || p.LoginEmail != "c@bakery.example" || len(p.TemporaryPassword) < 16 || !p.MustChangePassword ||
				p.PasswordExpiresAt == nil || strings.Join(p.Tools, ",") != "dashboard,tickets" || !strings.Contains(p.OnboardingMessage, p.TemporaryPassword) {
				t.Fatalf("create: %d %s", r.Status, r.Body)
			}
			temp := p.TemporaryPassword
			if r := api.JSON(http.MethodGet, w.hostA, path, key, ""); strings.Contains(r.Body, temp) || strings.Contains(r.Body, "onboarding_message") {
				t.Error("GET shows the password again")
			}

			client := w.env.Browser()
			if r := client.Post(w.hostA, "/login", servertest.Values("email", "c@bakery.example", "password", temp)); r.Status != http.StatusSeeOther {
				t.Fatalf("client login: %d", r.Status)
			}
			client.Post(w.hostA, "/password", servertest.Values("new_password", "bakery-own-pass-1", "confirm_password", "bakery-own-pass-1"))
			if r := client.Get(w.hostA, "/tickets"); r.Status != 200 {
				t.Fatalf("client: %d", r.Status)
			}

			// Tools only: no password, session kept, change on the next request.
			r = put(`{"tools":["messages"]}`)
			if p := decodePortal(t, r); r.Status != 200 || p.TemporaryPassword != "" || p.OnboardingMessage != "" || strings.Join(p.Tools, ",") != "messages" || p.LastLoginAt == nil {
				t.Errorf("tools: %d %s", r.Status, r.Body)
			}
			if r := client.Get(w.hostA, "/messages"); r.Status != 200 {
				t.Errorf("client after tools change: %d", r.Status)
			}
			// Revoke, then re-enable with a typed password.
			if r := put(`{"enabled":false}`); r.Status != 200 || decodePortal(t, r).Enabled {
				t.Errorf("revoke: %d %s", r.Status, r.Body)
			}
			if r := client.Get(w.hostA, "/messages"); r.Status != http.StatusSeeOther {
				t.Errorf("client after revoke: %d", r.Status)
			}
			if r := put(`{"enabled":true}`); r.Status != http.StatusUnprocessableEntity {
				t.Errorf("re-enable without password: %d", r.Status)
			}
			r = put(`{"enabled":true,"temporary_password":"typed-temp-pass-42"}`)
			if p := decodePortal(t, r); r.Status != 200 || p.TemporaryPassword != "typed-temp-pass-42" || !p.MustChangePassword {
				t.Errorf("re-enable: %d %s", r.Status, r.Body)
			}
			client.Post(w.hostA, "/login", servertest.Values("email", "c@bakery.example", "password", "wrong-pass-wrong"))

			checkPortalEvents(t, api.JSON(http.MethodGet, w.hostA, path+"/events", key, ""), temp, "typed-temp-pass-42", "bakery-own-pass")

			checkPortalScope(t, api, w.hostA, path, "/api/v1/workspaces/"+wsB+"/portal", key, keyB)
		})
	}
}

// checkPortalRefusals wants each refused PUT answered 422 naming its field,
// and an unknown field 400.
func checkPortalRefusals(t *testing.T, put func(string) *servertest.Response) {
	t.Helper()
	bad := []struct{ body, field string }{
		{`{"enabled":true,"login_email":"nope","generate_password":true}`, "login_email"},
		{`{"enabled":true,"login_email":"c@bakery.example"}`, "temporary_password"},
		{`{"enabled":true,"login_email":"c@bakery.example","temporary_password":"password123"}`, "temporary_password"},
		{`{"enabled":true,"login_email":"c@bakery.example","temporary_password":"long-enough-pass-1","generate_password":true}`, "temporary_password"},
		{`{"enabled":true,"login_email":"c@bakery.example","generate_password":true,"tools":["settings"]}`, "tools"},
	}
	for _, b := range bad {
		r := put(b.body)
		var env struct {
			Error struct{ Code, Field string } `json:"error"`
		}
		_ = json.Unmarshal([]byte(r.Body), &env)
		if r.Status != http.StatusUnprocessableEntity || env.Error.Field != b.field {
			t.Errorf("PUT %s: %d %s", b.body, r.Status, r.Body)
		}
	}
	if r := put(`{"enabled":true,"bogus":1}`); r.Status != http.StatusBadRequest {
		t.Errorf("unknown field: %d", r.Status)
	}
}

// checkPortalEvents wants the events answer r newest first, with every kind
// of change and login, and none of the passwords.
func checkPortalEvents(t *testing.T, r *servertest.Response, passwords ...string) {
	t.Helper()
	var evs struct {
		Items []struct {
			Type, Reason, Action, Detail, ActorKind string
			Success                                 *bool
		} `json:"items"`
	}
	if err := json.Unmarshal([]byte(r.Body), &evs); err != nil || r.Status != 200 {
		t.Fatalf("events: %d %s", r.Status, r.Body)
	}
	if len(evs.Items) < 6 || evs.Items[0].Type != "login" || evs.Items[0].Reason != "wrong_password" {
		t.Errorf("events newest first: %s", r.Body)
	}
	var kinds []string
	for _, e := range evs.Items {
		kinds = append(kinds, e.Type+":"+e.Reason+e.Action)
	}
	all := strings.Join(kinds, " ")
	for _, want := range []string{"change:created", "change:disabled", "change:tools_changed", "change:password_set", "change:password_changed", "login:ok"} {
		if !strings.Contains(all, want) {
			t.Errorf("events lack %s: %s", want, all)
		}
	}
	for _, pw := range passwords {
		if strings.Contains(r.Body, pw) {
			t.Error("events hold a password")
		}
	}
}

// checkPortalScope: another agency's workspace (otherPath) is 404 with A's
// key, A's workspace (path) 401 with B's key on A's host and 404 on the
// platform host; the OpenAPI document names the portal routes.
func checkPortalScope(t *testing.T, api *servertest.Browser, host, path, otherPath, key, keyB string) {
	t.Helper()
	if r := api.JSON(http.MethodGet, host, otherPath, key, ""); r.Status != http.StatusNotFound {
		t.Errorf("B's workspace with A's key: %d", r.Status)
	}
	if r := api.JSON(http.MethodPut, host, path, keyB, `{"enabled":false}`); r.Status != http.StatusUnauthorized {
		t.Errorf("B's key on A's host: %d", r.Status)
	}
	if r := api.JSON(http.MethodGet, "localhost", path+"/events", keyB, ""); r.Status != http.StatusNotFound {
		t.Errorf("B's key on the platform host for A's workspace: %d", r.Status)
	}
	doc := api.JSON(http.MethodGet, host, "/api/v1/openapi.json", "", "")
	for _, want := range []string{`"/workspaces/{id}/portal"`, `"/workspaces/{id}/portal/events"`, `"generate_password"`, `"onboarding_message"`} {
		if !strings.Contains(doc.Body, want) {
			t.Errorf("OpenAPI lacks %s", want)
		}
	}
}
