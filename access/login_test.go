package access_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"workrate/access"
	"workrate/auth"
	"workrate/field"
	"workrate/migrations/testdb"
	"workrate/tenant"
)

func TestLoginReasonsPerAgency(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			e := newEnv(t, db, time.Hour)
			ra := e.create(t, e.A, e.A1, "client@example.com", "tickets")
			e.create(t, e.B, e.B1, "bravo-only@example.com", "tickets")

			if _, err := e.login(e.A, "client@example.com", "wrong-password-1"); !errors.Is(err, access.ErrInvalidLogin) {
				t.Errorf("wrong password: %v", err)
			}
			if _, err := e.login(e.A, "nobody@example.com", "whatever-123"); !errors.Is(err, access.ErrInvalidLogin) {
				t.Errorf("unknown email: %v", err)
			}
			// B's client on A's host: the same answer, and nothing written
			// into B's history from A's host.
			if _, err := e.login(e.A, "bravo-only@example.com", "whatever-123"); !errors.Is(err, access.ErrInvalidLogin) {
				t.Errorf("wrong host: %v", err)
			}
			if _, err := e.login(e.A, "client@example.com", ra.TemporaryPassword); err != nil {
				t.Fatal(err)
			}

			reasons := func(agencyID, ws string) []string {
				var out []string
				for _, a := range e.attempts(t, agencyID, ws) {
					out = append(out, a.Reason+"@"+a.Host)
				}
				return out
			}
			if got, want := strings.Join(reasons(e.A.ID, e.A1), " "), "ok@acme.localhost wrong_password@acme.localhost"; got != want {
				t.Errorf("A1 attempts = %s, want %s", got, want)
			}
			if got, want := strings.Join(reasons(e.B.ID, e.B1), " "), ""; got != want {
				t.Errorf("B1 attempts = %s, want %s", got, want)
			}
			for _, at := range e.attempts(t, e.A.ID, e.A1) {
				if strings.Contains(at.Email, "bravo") {
					t.Errorf("A sees B's attempt %+v", at)
				}
			}
			acct, _ := e.svc.Account(ctx, e.A.ID, e.A1)
			if acct.LastLoginAt == nil {
				t.Error("last login not recorded")
			}
			evs, err := e.svc.Events(ctx, e.A.ID, e.A1, 100)
			if err != nil {
				t.Fatal(err)
			}
			if evs[0].Type != access.EventLogin || *evs[0].Success != true {
				t.Errorf("newest event %+v, want the successful login", evs[0])
			}
			for i := 1; i < len(evs); i++ {
				if evs[i].At.After(evs[i-1].At) {
					t.Fatalf("events not newest first at %d", i)
				}
			}
		})
	}
}

func TestLoginOnPlatformHostAmongAgencies(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			e := newEnv(t, db, time.Hour)
			ra, err := e.svc.Save(ctx, *e.A, e.A1, staff, access.Input{Enabled: true, LoginEmail: ptr("shared@example.com"), TemporaryPassword: "alpha-secret-7781", Tools: ptr([]string{"tickets"})})
			if err != nil {
				t.Fatal(err)
			}
			rb, err := e.svc.Save(ctx, *e.B, e.B1, staff, access.Input{Enabled: true, LoginEmail: ptr("shared@example.com"), TemporaryPassword: "bravo-secret-9912", Tools: ptr([]string{"tickets"})})
			if err != nil {
				t.Fatal(err)
			}
			tests := []struct {
				password string
				want     string
			}{
				{"alpha-secret-7781", ra.Account.ID},
				{"bravo-secret-9912", rb.Account.ID},
			}
			for _, tt := range tests {
				a, err := e.login(nil, "shared@example.com", tt.password)
				if err != nil || a.ID != tt.want {
					t.Errorf("platform login with %s: %v", tt.password, err)
				}
			}
			if _, err := e.login(nil, "shared@example.com", "neither-of-them-1"); !errors.Is(err, access.ErrInvalidLogin) {
				t.Errorf("wrong password: %v", err)
			}
			// On an agency host only that agency's account signs in.
			if _, err := e.login(e.A, "shared@example.com", "bravo-secret-9912"); !errors.Is(err, access.ErrInvalidLogin) {
				t.Errorf("B's password on A's host: %v", err)
			}
		})
	}
}

func TestExpiredTemporaryPassword(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			e := newEnv(t, db, time.Millisecond)
			res := e.create(t, e.A, e.A1, "c@example.com", "tickets")
			time.Sleep(5 * time.Millisecond)
			_, err := e.login(e.A, "c@example.com", res.TemporaryPassword)
			var ee *access.ExpiredError
			if !errors.As(err, &ee) || ee.Agency.Name != "Acme Agency" {
				t.Fatalf("err = %v, want expired naming the agency", err)
			}
			if at := e.attempts(t, e.A.ID, e.A1); at[0].Reason != auth.ReasonExpired {
				t.Errorf("reason %q", at[0].Reason)
			}
			// A wrong password stays a wrong password, expired or not.
			if _, err := e.login(e.A, "c@example.com", "not-the-password"); !errors.Is(err, access.ErrInvalidLogin) {
				t.Errorf("wrong password on expired account: %v", err)
			}
		})
	}
}

func TestThrottleAndBusyPool(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			e := newEnv(t, db, time.Hour)
			res := e.create(t, e.A, e.A1, "c@example.com", "tickets")

			if _, err := e.login(e.A, "c@example.com", strings.Repeat("x", auth.MaxPasswordBytes+1)); !errors.Is(err, access.ErrPasswordTooLong) {
				t.Errorf("long password: %v", err)
			}
			// Busy pool: answered at once, nothing hashed.
			var releases []func()
			for {
				r, ok := e.pool.Hold()
				if !ok {
					break
				}
				releases = append(releases, r)
			}
			if _, err := e.login(e.A, "c@example.com", res.TemporaryPassword); !errors.Is(err, auth.ErrBusy) {
				t.Errorf("busy pool login: %v", err)
			}
			if _, err := e.login(e.A, "nobody@example.com", "whatever-123"); !errors.Is(err, auth.ErrBusy) {
				t.Errorf("busy pool unknown email: %v", err)
			}
			if _, err := e.svc.Save(ctx, *e.A, e.A1, staff, access.Input{Enabled: true, GeneratePassword: true}); !errors.Is(err, auth.ErrBusy) {
				t.Errorf("busy pool save: %v", err)
			}
			for _, r := range releases {
				r()
			}

			for range auth.MaxPairFailures {
				if _, err := e.login(e.A, "c@example.com", "wrong-password-1"); !errors.Is(err, access.ErrInvalidLogin) {
					t.Fatalf("wrong password: %v", err)
				}
			}
			// Throttled even with the right password, and without hashing:
			// with the pool full, the answer is still "throttled", not "busy".
			r1, _ := e.pool.Hold()
			r2, _ := e.pool.Hold()
			_, err := e.login(e.A, "c@example.com", res.TemporaryPassword)
			r1()
			r2()
			var te *auth.ThrottledError
			if !errors.As(err, &te) || te.Wait <= 0 || te.Wait > auth.ThrottleWindow {
				t.Fatalf("err = %v, want throttled", err)
			}
			if at := e.attempts(t, e.A.ID, e.A1); at[0].Reason != auth.ReasonThrottled {
				t.Errorf("reason %q", at[0].Reason)
			}
			// Another account from another address is not affected.
			other := e.create(t, e.A, e.A2, "d@example.com", "tickets")
			if _, err := e.svc.Login(ctx, access.LoginRequest{Email: "d@example.com", Password: other.TemporaryPassword, IP: "198.51.100.7", Host: "acme.localhost", Agency: e.A}); err != nil {
				t.Errorf("other account: %v", err)
			}
		})
	}
}

func TestChangePassword(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			e := newEnv(t, db, time.Hour)
			res := e.create(t, e.A, e.A1, "c@example.com", "tickets")
			a, err := e.login(e.A, "c@example.com", res.TemporaryPassword)
			if err != nil {
				t.Fatal(err)
			}
			tests := []struct {
				name        string
				in          access.PasswordChange
				field, code string
			}{
				{"mismatch", access.PasswordChange{New: "my-own-secret-42", Confirm: "my-own-secret-43"}, "confirm_password", field.PasswordMismatch},
				{"too short", access.PasswordChange{New: "short", Confirm: "short"}, "new_password", field.PasswordTooShort},
				{"common", access.PasswordChange{New: "password123", Confirm: "password123"}, "new_password", field.PasswordCommon},
				{"same as temporary", access.PasswordChange{New: res.TemporaryPassword, Confirm: res.TemporaryPassword}, "new_password", field.PasswordSame},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					_, err := e.svc.ChangePassword(ctx, a, tt.in, clientAsker)
					var fe *field.Error
					if !errors.As(err, &fe) || fe.Field != tt.field || fe.Code != tt.code {
						t.Fatalf("err = %v, want %s %s", err, tt.field, tt.code)
					}
				})
			}
			tok := e.session(t, a)
			a2, err := e.svc.ChangePassword(ctx, a, access.PasswordChange{New: "my-own-secret-42", Confirm: "my-own-secret-42"}, clientAsker)
			if err != nil {
				t.Fatal(err)
			}
			if a2.MustChangePassword || a2.PasswordExpiresAt != nil || a2.SessionVersion == a.SessionVersion || e.sessionAlive(t, tok) {
				t.Errorf("after change: %+v, session alive %v", a2, e.sessionAlive(t, tok))
			}
			if _, err := e.login(e.A, "c@example.com", "my-own-secret-42"); err != nil {
				t.Errorf("login with own password: %v", err)
			}
			// Later changes need the current password.
			_, err = e.svc.ChangePassword(ctx, a2, access.PasswordChange{Current: "nope-nope-nope", New: "another-secret-77", Confirm: "another-secret-77"}, clientAsker)
			var fe *field.Error
			if !errors.As(err, &fe) || fe.Field != "current_password" {
				t.Errorf("wrong current: %v", err)
			}
			if _, err := e.svc.ChangePassword(ctx, a2, access.PasswordChange{Current: "my-own-secret-42", New: "another-secret-77", Confirm: "another-secret-77"}, clientAsker); err != nil {
				t.Errorf("change with current: %v", err)
			}
			// A stale account (revoked meanwhile) cannot change anything.
			if _, err := e.svc.ChangePassword(ctx, a2, access.PasswordChange{Current: "another-secret-77", New: "third-secret-99", Confirm: "third-secret-99"}, clientAsker); err == nil {
				t.Error("change with a stale session version succeeded")
			}
			evs, _ := e.svc.Changes(ctx, e.A.ID, e.A1, 1)
			if evs[0].Action != access.ActionPasswordChanged || evs[0].ActorKind != access.ActorClient {
				t.Errorf("event %+v", evs[0])
			}
		})
	}
}

// clientAsker is a client changing their own password from one address.
var clientAsker = auth.Asker{Kind: auth.KindClient, Email: "c@example.com", IP: "192.0.2.77", Host: "acme.localhost"}

// A client's own password change checks the current password through the
// gate: wrong ones are recorded, and after MaxPairFailures even the right one
// is throttled (before, anyone holding the session could guess without limit).
func TestChangePasswordIsThrottledAndRecorded(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			e := newEnv(t, db, time.Hour)
			res := e.create(t, e.A, e.A1, "c@example.com", "tickets")
			a, err := e.login(e.A, "c@example.com", res.TemporaryPassword)
			if err != nil {
				t.Fatal(err)
			}
			a, err = e.svc.ChangePassword(ctx, a, access.PasswordChange{New: "my-own-secret-42", Confirm: "my-own-secret-42"}, clientAsker)
			if err != nil {
				t.Fatal(err)
			}
			asker := clientAsker
			asker.AgencyID = e.A.ID
			for i := range auth.MaxPairFailures {
				_, err := e.svc.ChangePassword(ctx, a, access.PasswordChange{Current: fmt.Sprintf("guess-%d-xyz", i), New: "another-secret-77", Confirm: "another-secret-77"}, asker)
				var fe *field.Error
				if !errors.As(err, &fe) || fe.Field != "current_password" {
					t.Fatalf("guess %d: %v", i, err)
				}
			}
			_, err = e.svc.ChangePassword(ctx, a, access.PasswordChange{Current: "my-own-secret-42", New: "another-secret-77", Confirm: "another-secret-77"}, asker)
			var te *auth.ThrottledError
			if !errors.As(err, &te) {
				t.Fatalf("right current password after %d wrong ones: %v, want throttled", auth.MaxPairFailures, err)
			}
			wrong := 0
			for _, at := range e.attempts(t, e.A.ID, e.A1) {
				if at.Reason == auth.ReasonWrongPassword && at.IP == clientAsker.IP {
					wrong++
				}
			}
			if wrong != auth.MaxPairFailures {
				t.Fatalf("%d wrong current passwords recorded, want %d", wrong, auth.MaxPairFailures)
			}
		})
	}
}

// On the platform host a wrong password costs the same two hashes for an
// email that five agencies hold (their accounts are tagged when the agency
// sets the password) as for an unknown email, and the right password opens
// its account whatever its place among them (only the three oldest were
// looked at before).
func TestPlatformHostSignInAmongManyAgencies(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			e := newEnv(t, db, time.Hour)
			ts := tenant.NewStore(db.DB)
			passwords := map[string]string{}
			for i := range 5 {
				ag, err := ts.CreateAgency(ctx, fmt.Sprintf("Agency %d", i), fmt.Sprintf("agency-%d", i))
				if err != nil {
					t.Fatal(err)
				}
				pw := fmt.Sprintf("secret-of-agency-%d", i)
				res, err := e.svc.Save(ctx, *ag, e.workspace(t, ag.ID, "Client"), staff, access.Input{Enabled: true,
					LoginEmail: ptr("many@example.com"), TemporaryPassword: pw, Tools: ptr([]string{"tickets"})})
				if err != nil {
					t.Fatal(err)
				}
				passwords[res.Account.ID] = pw
			}
			if err := e.resolver.Load(ctx); err != nil {
				t.Fatal(err)
			}
			cost := func(email string) int64 {
				before := e.pool.Checked()
				if _, err := e.svc.Login(ctx, access.LoginRequest{Email: email, Password: "wrong-password-x", IP: "198.51.100.61", Host: "localhost"}); !errors.Is(err, access.ErrInvalidLogin) {
					t.Fatalf("%s, wrong password: %v", email, err)
				}
				return e.pool.Checked() - before
			}
			if many, unknown := cost("many@example.com"), cost("nobody@example.com"); many != 2 || unknown != 2 {
				t.Fatalf("hashes for a wrong password: %d for five accounts, %d for an unknown email; want 2 and 2", many, unknown)
			}
			for id, pw := range passwords {
				a, err := e.login(nil, "many@example.com", pw)
				if err != nil || a.ID != id {
					t.Fatalf("the account %s on the platform host: %v", id, err)
				}
			}
		})
	}
}
