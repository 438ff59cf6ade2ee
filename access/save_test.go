package access_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"workrate/access"
	"workrate/auth"
	"workrate/field"
	"workrate/migrations/testdb"
	"workrate/store"
)

func TestSaveCreatesAccountAtOnce(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			e := newEnv(t, db, 7*24*time.Hour)
			before := store.Now()
			res := e.create(t, e.A, e.A1, "  Client@Example.COM ", "tickets", "dashboard", "invoices")
			a := res.Account
			if a == nil || a.LoginEmail != "client@example.com" || !a.Enabled || !a.MustChangePassword {
				t.Fatalf("account = %+v", a)
			}
			if a.Tools != "dashboard,tickets,invoices" {
				t.Errorf("tools = %q, want canonical order", a.Tools)
			}
			if a.PasswordExpiresAt == nil || a.PasswordExpiresAt.Sub(before) < 7*24*time.Hour-time.Minute || a.PasswordExpiresAt.Sub(before) > 7*24*time.Hour+time.Minute {
				t.Errorf("expires at %v, want about 7 days from now", a.PasswordExpiresAt)
			}
			if len(res.TemporaryPassword) < 16 {
				t.Errorf("generated password %q shorter than 16", res.TemporaryPassword)
			}
			if strings.Contains(a.PasswordHash, res.TemporaryPassword) || !strings.HasPrefix(a.PasswordHash, "$argon2id$") {
				t.Errorf("stored hash %q", a.PasswordHash)
			}
			for _, want := range []string{"client@example.com", res.TemporaryPassword, "http://acme.localhost:8080/login", "Acme Agency",
				"submit support requests", "payment status", "at a glance"} {
				if !strings.Contains(res.Onboarding, want) {
					t.Errorf("onboarding lacks %q:\n%s", want, res.Onboarding)
				}
			}
			for _, absent := range []string{"WorkRate", "Messages:", "Tasks:"} {
				if strings.Contains(res.Onboarding, absent) {
					t.Errorf("onboarding has %q:\n%s", absent, res.Onboarding)
				}
			}
			got, err := e.login(e.A, "CLIENT@example.com ", res.TemporaryPassword)
			if err != nil || got.ID != a.ID {
				t.Fatalf("login with the temporary password: %v", err)
			}
			evs, err := e.svc.Changes(ctx, e.A.ID, e.A1, 10)
			if err != nil {
				t.Fatal(err)
			}
			var actions []string
			for _, ev := range evs {
				if strings.Contains(ev.Detail, res.TemporaryPassword) {
					t.Errorf("event %+v holds the password", ev)
				}
				if ev.ActorName != "Nora Winters" || ev.ActorKind != access.ActorStaff {
					t.Errorf("event actor %q/%q", ev.ActorKind, ev.ActorName)
				}
				actions = append(actions, ev.Action)
			}
			for _, want := range []string{access.ActionCreated, access.ActionEnabled, access.ActionPasswordSet, access.ActionToolsChanged} {
				if !strings.Contains(strings.Join(actions, " "), want) {
					t.Errorf("events %v lack %s", actions, want)
				}
			}
		})
	}
}

func TestOnboardingInAgencyLanguageAndCustomDomain(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			e := newEnv(t, db, 7*24*time.Hour)
			if _, err := db.NewUpdate().Table("agencies").Set("default_language = 'de'").Where("id = ?", e.A.ID).Exec(ctx); err != nil {
				t.Fatal(err)
			}
			now := store.Now()
			_, err := db.NewRaw("INSERT INTO domains (id, agency_id, hostname, status, verification_token, created_at, updated_at) VALUES (?, ?, ?, 'verified', 'x', ?, ?)",
				store.NewID(), e.A.ID, "app.acme-agency.com", now, now).Exec(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if err := e.resolver.Load(ctx); err != nil {
				t.Fatal(err)
			}
			a, _ := tenantAgency(t, e, e.A.ID)
			res, err := e.svc.Save(ctx, a, e.A1, staff, access.Input{Enabled: true, LoginEmail: ptr("c@example.com"), GeneratePassword: true, Tools: ptr([]string{"tickets"})})
			if err != nil {
				t.Fatal(err)
			}
			for _, want := range []string{"http://app.acme-agency.com:8080/login", "Temporäres Passwort", "Supportanfragen"} {
				if !strings.Contains(res.Onboarding, want) {
					t.Errorf("onboarding lacks %q:\n%s", want, res.Onboarding)
				}
			}
		})
	}
}

func TestSaveRefusesBadInput(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			e := newEnv(t, db, time.Hour)
			e.create(t, e.A, e.A2, "taken@example.com", "tickets")
			tests := []struct {
				name  string
				in    access.Input
				field string
				code  string
			}{
				{"no password to enable", access.Input{Enabled: true, LoginEmail: ptr("c@example.com")}, "temporary_password", field.PasswordRequired},
				{"no email", access.Input{Enabled: true, GeneratePassword: true}, "login_email", field.Required},
				{"bad email", access.Input{Enabled: true, LoginEmail: ptr("not an email"), GeneratePassword: true}, "login_email", field.InvalidEmail},
				{"email taken, other case", access.Input{Enabled: true, LoginEmail: ptr(" TAKEN@example.com"), GeneratePassword: true}, "login_email", field.EmailTaken},
				{"common password", access.Input{Enabled: true, LoginEmail: ptr("c@example.com"), TemporaryPassword: "password123"}, "temporary_password", field.PasswordCommon},
				{"short password", access.Input{Enabled: true, LoginEmail: ptr("c@example.com"), TemporaryPassword: "short"}, "temporary_password", field.PasswordTooShort},
				{"long password", access.Input{Enabled: true, LoginEmail: ptr("c@example.com"), TemporaryPassword: strings.Repeat("x", 1025)}, "temporary_password", field.PasswordTooLong},
				{"unknown tool", access.Input{Enabled: true, LoginEmail: ptr("c@example.com"), GeneratePassword: true, Tools: ptr([]string{"settings"})}, "tools", field.InvalidChoice},
				{"password while disabled", access.Input{LoginEmail: ptr("c@example.com"), GeneratePassword: true}, "temporary_password", field.PasswordDisabled},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					_, err := e.svc.Save(ctx, *e.A, e.A1, staff, tt.in)
					var fe *field.Error
					if !errors.As(err, &fe) || fe.Field != tt.field || fe.Code != tt.code {
						t.Fatalf("err = %v, want %s %s", err, tt.field, tt.code)
					}
				})
			}
			if _, err := e.svc.Account(ctx, e.A.ID, e.A1); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("an account was created by refused input: %v", err)
			}
			// Unique per agency, not across the platform.
			e.create(t, e.B, e.B1, "taken@example.com", "tickets")
		})
	}
}

func TestUpdateToolsKeepsSessions(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			e := newEnv(t, db, time.Hour)
			res := e.create(t, e.A, e.A1, "c@example.com", "tickets")
			tok := e.session(t, res.Account)
			up, err := e.svc.Save(ctx, *e.A, e.A1, staff, access.Input{Enabled: true, Tools: ptr([]string{"invoices", "tasks"})})
			if err != nil {
				t.Fatal(err)
			}
			if up.Account.Tools != "tasks,invoices" || up.TemporaryPassword != "" || up.Onboarding != "" {
				t.Errorf("after tools update: %+v", up)
			}
			if up.Account.SessionVersion != res.Account.SessionVersion || !e.sessionAlive(t, tok) {
				t.Error("a tools change ended the session; it should apply on the next request instead")
			}
			if len(up.Changes) != 1 || up.Changes[0] != access.ActionToolsChanged {
				t.Errorf("changes = %v", up.Changes)
			}
			evs, _ := e.svc.Changes(ctx, e.A.ID, e.A1, 1)
			if evs[0].Detail != "tickets → tasks, invoices" {
				t.Errorf("detail = %q", evs[0].Detail)
			}
		})
	}
}

func TestResetEmailRevokeReenable(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			e := newEnv(t, db, time.Hour)
			first := e.create(t, e.A, e.A1, "c@example.com", "tickets")
			if _, err := e.login(e.A, "c@example.com", first.TemporaryPassword); err != nil {
				t.Fatal(err)
			}

			a := e.checkReset(t, first)
			a = e.checkEmailChange(t, a)
			e.checkRevoke(t, db, a)
			e.checkReenable(t, first)
		})
	}
}

// checkReset: a new temporary password ends sessions, the old one stops
// working. It returns the account signed in with the new one.
func (e *env) checkReset(t *testing.T, first *access.Result) *auth.PortalAccount {
	t.Helper()
	tok := e.session(t, first.Account)
	reset, err := e.svc.Save(ctx, *e.A, e.A1, staff, access.Input{Enabled: true, TemporaryPassword: "fresh-start-4821"})
	if err != nil {
		t.Fatal(err)
	}
	if e.sessionAlive(t, tok) || reset.Account.SessionVersion == first.Account.SessionVersion {
		t.Error("password reset left the session alive")
	}
	if _, err := e.login(e.A, "c@example.com", first.TemporaryPassword); !errors.Is(err, access.ErrInvalidLogin) {
		t.Errorf("old password: %v", err)
	}
	a, err := e.login(e.A, "c@example.com", "fresh-start-4821")
	if err != nil || !a.MustChangePassword {
		t.Fatalf("new password: %v %+v", err, a)
	}
	if !strings.Contains(reset.Onboarding, "fresh-start-4821") {
		t.Error("reset gives no onboarding message")
	}
	return a
}

// checkEmailChange: the old email stops working at once. It returns the
// account signed in with the new email.
func (e *env) checkEmailChange(t *testing.T, a *auth.PortalAccount) *auth.PortalAccount {
	t.Helper()
	tok := e.session(t, a)
	ch, err := e.svc.Save(ctx, *e.A, e.A1, staff, access.Input{Enabled: true, LoginEmail: ptr("New@Example.com")})
	if err != nil {
		t.Fatal(err)
	}
	if e.sessionAlive(t, tok) || ch.Account.LoginEmail != "new@example.com" {
		t.Error("email change left the session alive")
	}
	if _, err := e.login(e.A, "c@example.com", "fresh-start-4821"); !errors.Is(err, access.ErrInvalidLogin) {
		t.Errorf("old email: %v", err)
	}
	a, err = e.login(e.A, "new@example.com", "fresh-start-4821")
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// checkRevoke: sessions end, login stops, the workspace stays.
func (e *env) checkRevoke(t *testing.T, db testdb.DB, a *auth.PortalAccount) {
	t.Helper()
	tok := e.session(t, a)
	if _, err := e.svc.Save(ctx, *e.A, e.A1, staff, access.Input{Enabled: false}); err != nil {
		t.Fatal(err)
	}
	if e.sessionAlive(t, tok) {
		t.Error("revocation left the session alive")
	}
	if _, err := e.login(e.A, "new@example.com", "fresh-start-4821"); !errors.Is(err, access.ErrInvalidLogin) {
		t.Errorf("revoked login: %v", err)
	}
	if at := e.attempts(t, e.A.ID, e.A1); at[0].Reason != auth.ReasonDisabled {
		t.Errorf("last attempt reason %q, want disabled", at[0].Reason)
	}
	var n int
	if err := db.NewSelect().TableExpr("workspaces").ColumnExpr("count(*)").Where("id = ?", e.A1).Scan(ctx, &n); err != nil || n != 1 {
		t.Errorf("workspace gone after revocation: %d %v", n, err)
	}
	acct, _ := e.svc.Account(ctx, e.A.ID, e.A1)
	if acct.Enabled || acct.LoginEmail != "new@example.com" || acct.Tools != "tickets" {
		t.Errorf("revoked account %+v", acct)
	}
}

// checkReenable: re-enabling needs a new temporary password, then works;
// the audit trail has every change and no password.
func (e *env) checkReenable(t *testing.T, first *access.Result) {
	t.Helper()
	_, err := e.svc.Save(ctx, *e.A, e.A1, staff, access.Input{Enabled: true})
	var fe *field.Error
	if !errors.As(err, &fe) || fe.Code != field.PasswordRequired {
		t.Fatalf("re-enable without password: %v", err)
	}
	again, err := e.svc.Save(ctx, *e.A, e.A1, staff, access.Input{Enabled: true, GeneratePassword: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.login(e.A, "new@example.com", again.TemporaryPassword); err != nil {
		t.Errorf("re-enabled login: %v", err)
	}
	evs, _ := e.svc.Changes(ctx, e.A.ID, e.A1, 50)
	seen := map[string]bool{}
	for _, ev := range evs {
		seen[ev.Action] = true
		for _, p := range []string{first.TemporaryPassword, "fresh-start-4821", again.TemporaryPassword} {
			if strings.Contains(ev.Detail, p) {
				t.Errorf("event %s holds a password", ev.Action)
			}
		}
	}
	for _, want := range []string{access.ActionEmailChanged, access.ActionDisabled, access.ActionEnabled, access.ActionPasswordSet} {
		if !seen[want] {
			t.Errorf("no %s event", want)
		}
	}
}
