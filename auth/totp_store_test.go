package auth

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"workrate/migrations/testdb"
	"workrate/store"
	"workrate/tenant"
)

// totpFixture holds two agencies, a staff member in each, and a client portal
// account in the first.
type totpFixture struct {
	db             testdb.DB
	st             *Store
	box            *SecretBox
	staffA, staffB TOTPSubject
	clientA        TOTPSubject
}

func newTOTPFixture(t *testing.T, db testdb.DB) *totpFixture {
	t.Helper()
	ctx := context.Background()
	ts := tenant.NewStore(db.DB)
	st := NewStore(db.DB)
	a, err := ts.CreateAgency(ctx, "Agency A", "agency-a")
	if err != nil {
		t.Fatal(err)
	}
	b, err := ts.CreateAgency(ctx, "Agency B", "agency-b")
	if err != nil {
		t.Fatal(err)
	}
	sa, err := st.CreateStaff(ctx, a.ID, "owner@a.example", "Owner A", RoleOwner, "x")
	if err != nil {
		t.Fatal(err)
	}
	sb, err := st.CreateStaff(ctx, b.ID, "owner@b.example", "Owner B", RoleOwner, "x")
	if err != nil {
		t.Fatal(err)
	}
	now := store.Now()
	wsID, accID := store.NewID(), store.NewID()
	if _, err := db.NewRaw("INSERT INTO workspaces (id, agency_id, name, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
		wsID, a.ID, "Client Co", now, now).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := db.NewRaw("INSERT INTO portal_accounts (id, agency_id, workspace_id, login_email, totp_mode, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
		accID, a.ID, wsID, "client@c.example", "optional", now, now).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	return &totpFixture{db: db, st: st, box: newTestBox(t, testSecretKey),
		staffA:  TOTPSubject{Kind: KindStaff, AgencyID: a.ID, ID: sa.ID},
		staffB:  TOTPSubject{Kind: KindStaff, AgencyID: b.ID, ID: sb.ID},
		clientA: TOTPSubject{Kind: KindClient, AgencyID: a.ID, ID: accID},
	}
}

// enroll runs a whole enrolment at now and returns the secret and recovery codes.
func (f *totpFixture) enroll(t *testing.T, s TOTPSubject, now time.Time) ([]byte, []string) {
	t.Helper()
	ctx := context.Background()
	secret, err := f.st.BeginTOTPEnrollment(ctx, f.box, s)
	if err != nil {
		t.Fatal(err)
	}
	codes, err := f.st.ConfirmTOTPEnrollment(ctx, f.box, s, TOTPCode(secret, now), now)
	if err != nil {
		t.Fatal(err)
	}
	return secret, codes
}

// step returns the time n TOTP steps after t.
func step(t time.Time, n int) time.Time { return t.Add(time.Duration(n*TOTPPeriod) * time.Second) }

var testNow = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)

func TestTOTPEnrolmentAndSignIn(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			f := newTOTPFixture(t, db)
			for _, s := range []TOTPSubject{f.staffA, f.clientA} {
				t.Run(s.Kind, func(t *testing.T) {
					secret, codes := f.checkEnrolment(t, s)
					f.checkSecondFactors(t, s, secret, codes)
				})
			}
			f.checkRecoveryHashes(t, db)
		})
	}
}

// checkEnrolment enrols s step by step, with the refusals of each step, and
// returns the secret and the recovery codes.
func (f *totpFixture) checkEnrolment(t *testing.T, s TOTPSubject) ([]byte, []string) {
	t.Helper()
	ctx := context.Background()
	if on, err := f.st.TOTPEnabled(ctx, s); err != nil || on {
		t.Fatalf("TOTPEnabled before enrolment = %v, %v", on, err)
	}
	if _, err := f.st.verifySecondFactor(ctx, f.box, s, "123456", testNow); !errors.Is(err, ErrTOTPNotEnrolled) {
		t.Fatalf("sign-in before enrolment: %v, want ErrTOTPNotEnrolled", err)
	}
	if _, err := f.st.ConfirmTOTPEnrollment(ctx, f.box, s, "123456", testNow); !errors.Is(err, ErrTOTPNotEnrolled) {
		t.Fatalf("confirm before begin: %v, want ErrTOTPNotEnrolled", err)
	}

	secret, err := f.st.BeginTOTPEnrollment(ctx, f.box, s)
	if err != nil {
		t.Fatal(err)
	}
	if len(secret) != TOTPSecretSize {
		t.Fatalf("secret of %d bytes", len(secret))
	}
	state, err := f.st.totpState(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	if len(state.secret) == 0 || bytes.Contains(state.secret, secret) || state.enabled {
		t.Fatalf("stored state after begin: enabled=%v, secret stored in clear=%v", state.enabled, bytes.Contains(state.secret, secret))
	}
	// A pending enrolment is not a second factor yet.
	if _, err := f.st.verifySecondFactor(ctx, f.box, s, TOTPCode(secret, testNow), testNow); !errors.Is(err, ErrTOTPNotEnrolled) {
		t.Fatalf("sign-in with a pending enrolment: %v, want ErrTOTPNotEnrolled", err)
	}
	if _, err := f.st.ConfirmTOTPEnrollment(ctx, f.box, s, "not a code", testNow); !errors.Is(err, ErrBadCode) {
		t.Fatalf("confirm with junk: %v, want ErrBadCode", err)
	}
	if _, err := f.st.ConfirmTOTPEnrollment(ctx, f.box, s, TOTPCode(secret, step(testNow, -2)), testNow); !errors.Is(err, ErrBadCode) {
		t.Fatalf("confirm with a stale code: %v, want ErrBadCode", err)
	}
	if on, _ := f.st.TOTPEnabled(ctx, s); on {
		t.Fatal("enabled after failed confirmations")
	}

	codes, err := f.st.ConfirmTOTPEnrollment(ctx, f.box, s, TOTPCode(secret, testNow), testNow)
	if err != nil {
		t.Fatal(err)
	}
	if len(codes) != RecoveryCodeCount {
		t.Fatalf("%d recovery codes", len(codes))
	}
	if on, err := f.st.TOTPEnabled(ctx, s); err != nil || !on {
		t.Fatalf("TOTPEnabled after confirmation = %v, %v", on, err)
	}
	if n, err := f.st.RemainingRecoveryCodes(ctx, s); err != nil || n != 10 {
		t.Fatalf("RemainingRecoveryCodes = %d, %v, want 10", n, err)
	}
	if _, err := f.st.BeginTOTPEnrollment(ctx, f.box, s); !errors.Is(err, ErrTOTPEnabled) {
		t.Fatalf("begin while on: %v, want ErrTOTPEnabled", err)
	}
	if _, err := f.st.ConfirmTOTPEnrollment(ctx, f.box, s, TOTPCode(secret, step(testNow, 1)), step(testNow, 1)); !errors.Is(err, ErrTOTPEnabled) {
		t.Fatalf("confirm while on: %v, want ErrTOTPEnabled", err)
	}
	return secret, codes
}

// checkSecondFactors signs s in with codes after enrolment: the
// confirmation's code is spent, the next step's passes once, and each
// recovery code once.
func (f *totpFixture) checkSecondFactors(t *testing.T, s TOTPSubject, secret []byte, codes []string) {
	t.Helper()
	ctx := context.Background()
	// Sign-in: the confirmation's code is spent; the next step's passes once.
	later := step(testNow, 1)
	checks := []struct {
		name     string
		code     string
		at       time.Time
		recovery bool
		err      error
	}{
		{"code used to confirm", TOTPCode(secret, testNow), testNow, false, ErrBadCode},
		{"next code", TOTPCode(secret, later), later, false, nil},
		{"next code again", TOTPCode(secret, later), later, false, ErrBadCode},
		{"older code within drift", TOTPCode(secret, testNow), later, false, ErrBadCode},
		{"code with spaces", " " + TOTPCode(secret, step(later, 1))[:3] + " " + TOTPCode(secret, step(later, 1))[3:], step(later, 1), false, nil},
		{"wrong code", "000000", step(later, 2), false, ErrBadCode},
		{"recovery code", codes[0], later, true, nil},
		{"recovery code again", codes[0], later, false, ErrBadCode},
		{"recovery code typed loosely", strings.ToUpper(strings.ReplaceAll(codes[1], "-", " ")), later, true, nil},
		{"unknown recovery code", "zzzz-zzzz", later, false, ErrBadCode},
		{"junk", "hello", later, false, ErrBadCode},
	}
	for _, c := range checks {
		used, err := f.st.verifySecondFactor(ctx, f.box, s, c.code, c.at)
		if !errors.Is(err, c.err) || (c.err == nil && err != nil) || used != c.recovery {
			t.Errorf("%s: VerifySecondFactor = (%v, %v), want (%v, %v)", c.name, used, err, c.recovery, c.err)
		}
	}
	if n, err := f.st.RemainingRecoveryCodes(ctx, s); err != nil || n != 8 {
		t.Fatalf("RemainingRecoveryCodes after two uses = %d, %v, want 8", n, err)
	}
}

// checkRecoveryHashes: recovery codes are stored as keyed hashes, never in
// clear nor as a bare SHA-256.
func (f *totpFixture) checkRecoveryHashes(t *testing.T, db testdb.DB) {
	t.Helper()
	ctx := context.Background()
	// Recovery codes are stored as keyed hashes, never in clear nor as a bare SHA-256.
	_, codes := f.enroll(t, f.staffB, testNow)
	var hashes []string
	if err := db.NewSelect().Model((*recoveryCode)(nil)).Column("code_hash").
		Where("agency_id = ? AND subject_id = ?", f.staffB.AgencyID, f.staffB.ID).Scan(ctx, &hashes); err != nil {
		t.Fatal(err)
	}
	if len(hashes) != 10 {
		t.Fatalf("%d stored codes, want 10", len(hashes))
	}
	for _, c := range codes {
		n, _ := normalizeRecoveryCode(c)
		sum := sha256.Sum256([]byte(n))
		for _, h := range hashes {
			if strings.Contains(h, n) || h == hex.EncodeToString(sum[:]) {
				t.Fatalf("recovery code %s is stored recoverably: %s", c, h)
			}
		}
	}
}

// racers is how many goroutines race for one code.
const racers = 8

// race runs f from racers goroutines at once and returns how many succeeded
// and the errors of the others.
func race(f func() error) (int, []error) {
	var wg sync.WaitGroup
	start := make(chan struct{})
	errs := make(chan error, racers)
	for range racers {
		wg.Go(func() {
			<-start
			errs <- f()
		})
	}
	close(start)
	wg.Wait()
	close(errs)
	ok, failed := 0, []error{}
	for err := range errs {
		if err == nil {
			ok++
		} else {
			failed = append(failed, err)
		}
	}
	return ok, failed
}

func TestTOTPConcurrentUseOfOneCode(t *testing.T) {
	ctx := context.Background()
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			f := newTOTPFixture(t, db)
			s := f.clientA
			secret, err := f.st.BeginTOTPEnrollment(ctx, f.box, s)
			if err != nil {
				t.Fatal(err)
			}
			var codes []string
			var mu sync.Mutex
			ok, failed := race(func() error {
				c, err := f.st.ConfirmTOTPEnrollment(ctx, f.box, s, TOTPCode(secret, testNow), testNow)
				if err == nil {
					mu.Lock()
					codes = c
					mu.Unlock()
				}
				return err
			})
			if ok != 1 {
				t.Fatalf("%d confirmations with one code succeeded, want 1 (errors %v)", ok, failed)
			}
			for _, err := range failed {
				if !errors.Is(err, ErrBadCode) && !errors.Is(err, ErrTOTPEnabled) {
					t.Errorf("losing confirmation: %v, want ErrBadCode or ErrTOTPEnabled", err)
				}
			}
			tests := []struct {
				name string
				code string
				at   time.Time
			}{
				{"authenticator code", TOTPCode(secret, step(testNow, 1)), step(testNow, 1)},
				{"recovery code", codes[3], step(testNow, 1)},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					ok, failed := race(func() error {
						_, err := f.st.verifySecondFactor(ctx, f.box, s, tt.code, tt.at)
						return err
					})
					if ok != 1 {
						t.Fatalf("%d concurrent uses of one code succeeded, want exactly 1 (errors %v)", ok, failed)
					}
					for _, err := range failed {
						if !errors.Is(err, ErrBadCode) {
							t.Errorf("losing use: %v, want ErrBadCode", err)
						}
					}
				})
			}
		})
	}
}

func TestDisableTOTP(t *testing.T) {
	ctx := context.Background()
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			f := newTOTPFixture(t, db)
			if err := f.st.disableTOTP(ctx, f.box, f.staffA, "123456", testNow); !errors.Is(err, ErrTOTPNotEnrolled) {
				t.Fatalf("disable when off: %v, want ErrTOTPNotEnrolled", err)
			}
			secret, _ := f.enroll(t, f.staffA, testNow)
			later := step(testNow, 1)
			for _, code := range []string{"", "000000", TOTPCode(secret, testNow)} { // the last was spent confirming
				if err := f.st.disableTOTP(ctx, f.box, f.staffA, code, later); !errors.Is(err, ErrBadCode) {
					t.Fatalf("disable with %q: %v, want ErrBadCode", code, err)
				}
			}
			if on, _ := f.st.TOTPEnabled(ctx, f.staffA); !on {
				t.Fatal("disabled without a valid code")
			}
			if err := f.st.disableTOTP(ctx, f.box, f.staffA, TOTPCode(secret, later), later); err != nil {
				t.Fatal(err)
			}
			assertTOTPCleared(t, f, f.staffA)

			// Someone who lost the device disables with a recovery code.
			_, codes := f.enroll(t, f.clientA, testNow)
			if err := f.st.disableTOTP(ctx, f.box, f.clientA, codes[9], later); err != nil {
				t.Fatal(err)
			}
			assertTOTPCleared(t, f, f.clientA)
		})
	}
}

// assertTOTPCleared checks that nothing of the subject's second factor is left.
func assertTOTPCleared(t *testing.T, f *totpFixture, s TOTPSubject) {
	t.Helper()
	ctx := context.Background()
	state, err := f.st.totpState(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	if state.enabled || state.secret != nil || state.lastStep != 0 {
		t.Fatalf("state after clearing: enabled=%v secret=%d bytes last step=%d", state.enabled, len(state.secret), state.lastStep)
	}
	n, err := f.db.NewSelect().Model((*recoveryCode)(nil)).Where("subject_id = ?", s.ID).Count(ctx)
	if err != nil || n != 0 {
		t.Fatalf("%d recovery code rows left (%v)", n, err)
	}
	if _, err := f.st.verifySecondFactor(ctx, f.box, s, "123456", testNow); !errors.Is(err, ErrTOTPNotEnrolled) {
		t.Fatalf("sign-in after clearing: %v, want ErrTOTPNotEnrolled", err)
	}
}

func TestResetTOTP(t *testing.T) {
	ctx := context.Background()
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			f := newTOTPFixture(t, db)
			s := f.clientA
			oldSecret, oldCodes := f.enroll(t, s, testNow)
			if err := f.st.ResetTOTP(ctx, s); err != nil {
				t.Fatal(err)
			}
			assertTOTPCleared(t, f, s)
			if err := f.st.ResetTOTP(ctx, s); err != nil {
				t.Fatalf("reset when already off: %v", err)
			}

			// The client enrols again: a new secret, and the old codes are dead.
			later := step(testNow, 2)
			secret, _ := f.enroll(t, s, later)
			if bytes.Equal(secret, oldSecret) {
				t.Fatal("the same secret after a reset")
			}
			if _, err := f.st.verifySecondFactor(ctx, f.box, s, oldCodes[0], later); !errors.Is(err, ErrBadCode) {
				t.Fatalf("old recovery code after reset: %v, want ErrBadCode", err)
			}
			if _, err := f.st.verifySecondFactor(ctx, f.box, s, TOTPCode(oldSecret, step(later, 1)), step(later, 1)); !errors.Is(err, ErrBadCode) {
				t.Fatalf("old authenticator after reset: %v, want ErrBadCode", err)
			}
			if _, err := f.st.verifySecondFactor(ctx, f.box, s, TOTPCode(secret, step(later, 1)), step(later, 1)); err != nil {
				t.Fatalf("new authenticator: %v", err)
			}
		})
	}
}

func TestTOTPSubjectsStayInTheirAgency(t *testing.T) {
	ctx := context.Background()
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			f := newTOTPFixture(t, db)
			secretA, codesA := f.enroll(t, f.staffA, testNow)
			later := step(testNow, 1)
			strangers := []struct {
				name string
				s    TOTPSubject
			}{
				{"A's staff with B's agency id", TOTPSubject{Kind: KindStaff, AgencyID: f.staffB.AgencyID, ID: f.staffA.ID}},
				{"A's staff as a client", TOTPSubject{Kind: KindClient, AgencyID: f.staffA.AgencyID, ID: f.staffA.ID}},
				{"A's client with B's agency id", TOTPSubject{Kind: KindClient, AgencyID: f.staffB.AgencyID, ID: f.clientA.ID}},
				{"no agency", TOTPSubject{Kind: KindStaff, ID: f.staffA.ID}},
			}
			for _, tt := range strangers {
				t.Run(tt.name, func(t *testing.T) {
					s := tt.s
					calls := map[string]error{}
					_, calls["BeginTOTPEnrollment"] = f.st.BeginTOTPEnrollment(ctx, f.box, s)
					_, calls["ConfirmTOTPEnrollment"] = f.st.ConfirmTOTPEnrollment(ctx, f.box, s, TOTPCode(secretA, later), later)
					_, calls["VerifySecondFactor"] = f.st.verifySecondFactor(ctx, f.box, s, TOTPCode(secretA, later), later)
					_, calls["VerifySecondFactor recovery"] = f.st.verifySecondFactor(ctx, f.box, s, codesA[0], later)
					calls["DisableTOTP"] = f.st.disableTOTP(ctx, f.box, s, TOTPCode(secretA, later), later)
					calls["ResetTOTP"] = f.st.ResetTOTP(ctx, s)
					_, calls["TOTPEnabled"] = f.st.TOTPEnabled(ctx, s)
					_, calls["RemainingRecoveryCodes"] = f.st.RemainingRecoveryCodes(ctx, s)
					for name, err := range calls {
						if !errors.Is(err, store.ErrNotFound) {
							t.Errorf("%s: %v, want store.ErrNotFound", name, err)
						}
					}
				})
			}
			if _, err := f.st.TOTPEnabled(ctx, TOTPSubject{Kind: KindOperator, AgencyID: f.staffA.AgencyID, ID: f.staffA.ID}); err == nil {
				t.Error("an operator subject was accepted")
			}
			// A's state is untouched by all of the above.
			if on, _ := f.st.TOTPEnabled(ctx, f.staffA); !on {
				t.Fatal("A's second factor was turned off from outside")
			}
			if n, _ := f.st.RemainingRecoveryCodes(ctx, f.staffA); n != 10 {
				t.Fatalf("A has %d recovery codes left, want 10", n)
			}
			if _, err := f.st.verifySecondFactor(ctx, f.box, f.staffA, TOTPCode(secretA, later), later); err != nil {
				t.Fatalf("A's own code after the attempts: %v", err)
			}

			// B enrolled: A's recovery codes and authenticator do not open B.
			f.enroll(t, f.staffB, testNow)
			if _, err := f.st.verifySecondFactor(ctx, f.box, f.staffB, codesA[1], later); !errors.Is(err, ErrBadCode) {
				t.Errorf("A's recovery code for B: %v, want ErrBadCode", err)
			}
			// Copying A's sealed secret onto B's row does not make A's codes B's.
			stateA, err := f.st.totpState(ctx, f.staffA)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.NewUpdate().Table("staff_users").Set("totp_secret = ?", stateA.secret).
				Where("id = ?", f.staffB.ID).Exec(ctx); err != nil {
				t.Fatal(err)
			}
			at := step(testNow, 2)
			if _, err := f.st.verifySecondFactor(ctx, f.box, f.staffB, TOTPCode(secretA, at), at); !errors.Is(err, ErrUnseal) {
				t.Errorf("A's sealed secret on B's row: %v, want ErrUnseal", err)
			}
		})
	}
}

func TestTOTPWithTamperedSecretOrRotatedKey(t *testing.T) {
	ctx := context.Background()
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			f := newTOTPFixture(t, db)
			secret, codes := f.enroll(t, f.staffA, testNow)
			at := step(testNow, 1)

			rotated := newTestBox(t, testSecretKey+"-rotated")
			if _, err := f.st.verifySecondFactor(ctx, rotated, f.staffA, TOTPCode(secret, at), at); !errors.Is(err, ErrUnseal) {
				t.Errorf("authenticator code under another key: %v, want ErrUnseal", err)
			}
			if _, err := f.st.verifySecondFactor(ctx, rotated, f.staffA, codes[0], at); !errors.Is(err, ErrBadCode) {
				t.Errorf("recovery code under another key: %v, want ErrBadCode", err)
			}
			if err := f.st.disableTOTP(ctx, rotated, f.staffA, TOTPCode(secret, at), at); !errors.Is(err, ErrUnseal) {
				t.Errorf("disable under another key: %v, want ErrUnseal", err)
			}

			state, err := f.st.totpState(ctx, f.staffA)
			if err != nil {
				t.Fatal(err)
			}
			tampered := bytes.Clone(state.secret)
			tampered[len(tampered)/2] ^= 0x01
			if _, err := db.NewUpdate().Table("staff_users").Set("totp_secret = ?", tampered).
				Where("id = ?", f.staffA.ID).Exec(ctx); err != nil {
				t.Fatal(err)
			}
			if _, err := f.st.verifySecondFactor(ctx, f.box, f.staffA, TOTPCode(secret, at), at); !errors.Is(err, ErrUnseal) {
				t.Errorf("tampered secret: %v, want ErrUnseal", err)
			}
			// The agency's reset is the way out of an unreadable secret.
			if err := f.st.ResetTOTP(ctx, f.staffA); err != nil {
				t.Fatal(err)
			}
			f.enroll(t, f.staffA, at)
		})
	}
}
