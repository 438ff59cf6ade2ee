package auth

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"workrate/migrations/testdb"
	"workrate/store"
)

// gateEnv is a gate over a fresh database with cheap hashing.
type gateEnv struct {
	gate *Gate
	st   *Store
	hp   *HashPool
}

func newGateEnv(t *testing.T, db testdb.DB) gateEnv {
	t.Helper()
	hp := NewHashPool(2, cheapParams)
	return gateEnv{gate: NewGate(db.DB, hp, nil), st: NewStore(db.DB), hp: hp}
}

// holder makes an account holding password.
func (e gateEnv) holder(t *testing.T, agencyID, password string) Holder {
	t.Helper()
	hash, err := HashPassword(password, cheapParams)
	if err != nil {
		t.Fatal(err)
	}
	return Holder{ID: store.NewID(), AgencyID: agencyID, Hash: hash}
}

func asker(email, ip string) Asker {
	return Asker{Kind: KindClient, Email: email, IP: ip, Host: "acme.localhost"}
}

// Five failures from one address slow that address for that email, not the
// owner signing in from elsewhere (the old hard lock refused the right
// password from anywhere for 15 minutes: a lock-out anyone could cause).
func TestGateThrottlesThePairNotTheOwner(t *testing.T) {
	ctx := context.Background()
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			e := newGateEnv(t, db)
			h := e.holder(t, "agency-a", "right-password-1")
			attacker := asker("c@example.com", "203.0.113.9")
			for i := range MaxPairFailures {
				if _, err := e.gate.SignIn(ctx, attacker, []Holder{h}, fmt.Sprintf("guess-%d", i), false); !errors.Is(err, ErrDenied) {
					t.Fatalf("guess %d: %v", i, err)
				}
			}
			var te *ThrottledError
			if _, err := e.gate.SignIn(ctx, attacker, []Holder{h}, "right-password-1", false); !errors.As(err, &te) {
				t.Fatalf("attacker's address after %d failures: %v, want throttled", MaxPairFailures, err)
			}
			if _, err := e.gate.SignIn(ctx, asker("c@example.com", "198.51.100.20"), []Holder{h}, "right-password-1", false); err != nil {
				t.Fatalf("the owner from another address: %v, want signed in", err)
			}
		})
	}
}

// Known and unknown emails are answered alike at every step: the same
// errors in the same order, so the answer tells nothing about the account.
func TestGateAnswersKnownAndUnknownAlike(t *testing.T) {
	ctx := context.Background()
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			e := newGateEnv(t, db)
			h := e.holder(t, "agency-a", "right-password-1")
			answers := func(email string, holders []Holder) []string {
				var out []string
				for i := range MaxPairFailures + 2 {
					_, err := e.gate.SignIn(ctx, asker(email, "203.0.113.10"), holders, fmt.Sprintf("guess-%d", i), false)
					var te *ThrottledError
					switch {
					case errors.As(err, &te):
						out = append(out, "throttled")
					case errors.Is(err, ErrDenied):
						out = append(out, "denied")
					default:
						out = append(out, fmt.Sprint(err))
					}
				}
				return out
			}
			known, unknown := answers("c@example.com", []Holder{h}), answers("nobody@example.com", nil)
			if fmt.Sprint(known) != fmt.Sprint(unknown) {
				t.Fatalf("known %v, unknown %v: want the same answers", known, unknown)
			}
			if known[MaxPairFailures] != "throttled" {
				t.Fatalf("answers %v: want throttled after %d failures", known, MaxPairFailures)
			}
		})
	}
}

// An email failing from many addresses slows down for every new address
// (twice as long each time), but never for the owner's usual address.
func TestGateSlowsAnEmailButNotItsUsualAddress(t *testing.T) {
	ctx := context.Background()
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			e := newGateEnv(t, db)
			h := e.holder(t, "agency-a", "right-password-1")
			usual := asker("c@example.com", "198.51.100.30")
			if _, err := e.gate.SignIn(ctx, usual, []Holder{h}, "right-password-1", false); err != nil {
				t.Fatal(err)
			}
			for i := range EmailSlowAfter {
				a := asker("c@example.com", fmt.Sprintf("203.0.113.%d", 100+i))
				if _, err := e.gate.SignIn(ctx, a, []Holder{h}, "guess", false); !errors.Is(err, ErrDenied) {
					t.Fatalf("guess from address %d: %v", i, err)
				}
			}
			var te *ThrottledError
			if _, err := e.gate.SignIn(ctx, asker("c@example.com", "203.0.113.250"), []Holder{h}, "right-password-1", false); !errors.As(err, &te) || te.Wait > time.Second {
				t.Fatalf("a new address after %d failures from many: %v, want a wait of at most 1 s", EmailSlowAfter, err)
			}
			if _, err := e.gate.SignIn(ctx, usual, []Holder{h}, "right-password-1", false); err != nil {
				t.Fatalf("the usual address: %v, want signed in", err)
			}
		})
	}
}

// An IPv6 client is counted by its /64: moving within it does not escape.
func TestGateCountsIPv6ByItsNetwork(t *testing.T) {
	if got := Addr("2001:db8:1:2:aaaa::1"); got != "2001:db8:1:2::/64" {
		t.Fatalf("Addr = %q", got)
	}
	if Addr("192.0.2.1") != "192.0.2.1" || Addr("::ffff:192.0.2.1") != "192.0.2.1" {
		t.Fatal("IPv4 addresses are their own group")
	}
	ctx := context.Background()
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			e := newGateEnv(t, db)
			h := e.holder(t, "agency-a", "right-password-1")
			for i := range MaxPairFailures {
				a := asker("c@example.com", fmt.Sprintf("2001:db8:1:2::%x", i+1))
				if _, err := e.gate.SignIn(ctx, a, []Holder{h}, "guess", false); !errors.Is(err, ErrDenied) {
					t.Fatalf("guess %d: %v", i, err)
				}
			}
			var te *ThrottledError
			if _, err := e.gate.SignIn(ctx, asker("c@example.com", "2001:db8:1:2::ffff"), []Holder{h}, "guess", false); !errors.As(err, &te) {
				t.Fatalf("another address of the same /64: %v, want throttled", err)
			}
		})
	}
}

// Across agencies the number of hashes does not depend on how many accounts
// hold the email, and the right password of any of them opens it, whatever
// its place in the list (once tagged; an untagged account is verified
// directly and tagged at its first sign-in).
func TestGateAcrossAgenciesHashesAConstantNumber(t *testing.T) {
	ctx := context.Background()
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			e := newGateEnv(t, db)
			var holders []Holder
			for i := range 5 {
				h := e.holder(t, fmt.Sprintf("agency-%d", i), fmt.Sprintf("password-of-%d", i))
				if err := e.gate.Tag(ctx, h, "c@example.com", fmt.Sprintf("password-of-%d", i)); err != nil {
					t.Fatal(err)
				}
				holders = append(holders, h)
			}
			cost := func(email string, hs []Holder, password string) (int64, []Holder, error) {
				before := e.hp.Hashed()
				opened, err := e.gate.SignIn(ctx, asker(email, "198.51.100.40"), hs, password, true)
				return e.hp.Hashed() - before, opened, err
			}
			for i := range holders {
				n, opened, err := cost("c@example.com", holders, fmt.Sprintf("password-of-%d", i))
				if err != nil || len(opened) != 1 || opened[0].ID != holders[i].ID {
					t.Fatalf("account %d of %d: opened %v, %v", i+1, len(holders), opened, err)
				}
				if n != 2 {
					t.Fatalf("account %d: %d hashes, want 2", i+1, n)
				}
			}
			for _, tc := range []struct {
				name    string
				email   string
				holders []Holder
			}{{"five accounts", "c@example.com", holders}, {"one account", "c@example.com", holders[:1]}, {"unknown email", "nobody@example.com", nil}} {
				n, _, err := cost(tc.email, tc.holders, "wrong-password")
				if !errors.Is(err, ErrDenied) || n != 2 {
					t.Errorf("%s, wrong password: %d hashes, %v; want 2 and denied", tc.name, n, err)
				}
			}
		})
	}
}

// An untagged account (a new password, a new email) is verified directly, so
// the right password never fails for want of a tag, and then tagged.
func TestGateTagsAnAccountAtItsFirstSignIn(t *testing.T) {
	ctx := context.Background()
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			e := newGateEnv(t, db)
			h := e.holder(t, "agency-a", "right-password-1")
			a := asker("c@example.com", "198.51.100.41")
			if opened, err := e.gate.SignIn(ctx, a, []Holder{h}, "right-password-1", true); err != nil || len(opened) != 1 {
				t.Fatalf("untagged: %v, %v", opened, err)
			}
			tags, err := e.st.signInTags(ctx, []string{h.ID})
			if err != nil || tags[h.ID] == "" {
				t.Fatalf("no tag after the first sign-in: %v, %v", tags, err)
			}
			// A new password makes the tag stale: never trusted, verified directly.
			h2 := e.holder(t, "agency-a", "new-password-2")
			h2.ID = h.ID
			if opened, err := e.gate.SignIn(ctx, a, []Holder{h2}, "new-password-2", true); err != nil || len(opened) != 1 {
				t.Fatalf("stale tag: %v, %v", opened, err)
			}
		})
	}
}

// A refused account (disabled, expired) is refused only with its right
// password, and the refusal is recorded; with a wrong one it is a plain denial.
func TestGateRefusesAfterTheRightPasswordOnly(t *testing.T) {
	ctx := context.Background()
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			e := newGateEnv(t, db)
			h := e.holder(t, "agency-a", "right-password-1")
			h.Refusal = ReasonDisabled
			a := asker("c@example.com", "198.51.100.42")
			var re *RefusedError
			if _, err := e.gate.SignIn(ctx, a, []Holder{h}, "wrong", false); !errors.Is(err, ErrDenied) || errors.As(err, &re) {
				t.Fatalf("wrong password: %v", err)
			}
			if _, err := e.gate.SignIn(ctx, a, []Holder{h}, "right-password-1", false); !errors.As(err, &re) || !errors.Is(err, ErrDenied) || re.Reason != ReasonDisabled {
				t.Fatalf("right password: %v", err)
			}
		})
	}
}

// A wait the database reported for a pair is answered from memory until it
// ends; another address for the same email is not remembered as waiting.
func TestThrottledRemembersWaits(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			ctx := context.Background()
			st, hp := NewStore(db.DB), NewHashPool(1, cheapParams)
			email, addr := "c@example.com", "192.0.2.7"
			for range MaxPairFailures {
				if err := st.RecordAttempt(ctx, &Attempt{Email: email, Kind: KindClient, IP: addr, Reason: ReasonWrongPassword}); err != nil {
					t.Fatal(err)
				}
			}
			wait, err := hp.throttled(ctx, st, email, addr)
			if err != nil || wait <= 0 || wait > ThrottleWindow {
				t.Fatalf("throttled pair: wait %v, %v", wait, err)
			}
			if other, err := hp.throttled(ctx, st, email, "192.0.2.8"); err != nil || other != 0 {
				t.Fatalf("another address: wait %v, %v", other, err)
			}
			if _, err := db.NewDelete().Table("login_attempts").Where("1 = 1").Exec(ctx); err != nil {
				t.Fatal(err)
			}
			if again, err := hp.throttled(ctx, st, email, addr); err != nil || again <= 0 || again > wait {
				t.Fatalf("remembered wait: %v, %v", again, err)
			}
			hp.ForgetLocks()
			if wait, err := hp.throttled(ctx, st, email, addr); err != nil || wait != 0 {
				t.Fatalf("after ForgetLocks with no failures: wait %v, %v", wait, err)
			}
		})
	}
}

// Six addresses flooding sign-ins (several at once each) do not starve
// another address: hashes wait their turn in arrival order, and each address
// has one attempt at a time, so the seventh waits behind a few hashes
// instead of being answered 429.
func TestGateFloodFromSixAddressesLeavesRoomForAnother(t *testing.T) {
	ctx := context.Background()
	costly := Params{Memory: 16 * 1024, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16} // about 15 ms a hash
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			hp := NewHashPool(1, costly)
			gate := NewGate(db.DB, hp, nil)
			hash, err := HashPassword("right-password-1", costly)
			if err != nil {
				t.Fatal(err)
			}
			owner := Holder{ID: store.NewID(), AgencyID: "agency-a", Hash: hash}
			stop := make(chan struct{})
			done := make(chan struct{})
			started := make(chan struct{}, 24)
			go func() {
				defer close(done)
				var wg sync.WaitGroup
				for a := range 6 {
					for g := range 4 {
						wg.Go(func() {
							for i := 0; i < 3; i++ {
								select {
								case <-stop:
									return
								default:
								}
								ip := fmt.Sprintf("203.0.113.%d", a+1)
								_, _ = gate.SignIn(ctx, asker(fmt.Sprintf("spray-%d-%d-%d@example.com", a, g, i), ip), []Holder{owner}, "guess", false)
								if i == 0 {
									started <- struct{}{}
								}
							}
						})
					}
				}
				wg.Wait()
			}()
			for range 12 {
				<-started
			}
			before := hp.Hashed()
			_, err = gate.SignIn(ctx, asker("owner@example.com", "198.51.100.50"), []Holder{owner}, "right-password-1", false)
			during := hp.Hashed() - before
			close(stop)
			<-done
			if err != nil {
				t.Fatalf("another address during a flood from six: %v, want signed in", err)
			}
			if during == 0 {
				t.Fatal("the flood had ended before the sign-in: the test proves nothing")
			}
			// Every slot busy for a moment: the attempt waits for one
			// (before, a busy pool answered 429 at once).
			release, ok := hp.Hold()
			if !ok {
				t.Fatal("no free slot to hold")
			}
			time.AfterFunc(100*time.Millisecond, release)
			if _, err := gate.SignIn(ctx, asker("owner@example.com", "198.51.100.50"), []Holder{owner}, "right-password-1", false); err != nil {
				t.Fatalf("with the pool busy for 100 ms: %v, want signed in after waiting", err)
			}
		})
	}
}
