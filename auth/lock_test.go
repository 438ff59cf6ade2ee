package auth

import (
	"context"
	"testing"

	"workrate/migrations/testdb"
	"workrate/store"
)

// A lock-out the database reported is answered from memory until it ends;
// an address or account the database does not lock is not remembered.
func TestThrottledRemembersLockouts(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			ctx := context.Background()
			st, hp := NewStore(db.DB), NewHashPool(1, cheapParams)
			account, ip := store.NewID(), "192.0.2.7"
			if wait, err := hp.Throttled(ctx, st, account, ip); err != nil || wait != 0 {
				t.Fatalf("fresh account: wait %v, %v", wait, err)
			}
			for range MaxAccountFailures {
				if err := st.RecordAttempt(ctx, &Attempt{AccountID: account, Kind: KindClient, IP: "198.51.100.1", Reason: ReasonWrongPassword}); err != nil {
					t.Fatal(err)
				}
			}
			wait, err := hp.Throttled(ctx, st, account, ip)
			if err != nil || wait <= 0 || wait > ThrottleWindow {
				t.Fatalf("locked account: wait %v, %v", wait, err)
			}
			if hp.locks.wait(AddressKey(ip), store.Now()) != 0 {
				t.Fatal("the address was remembered as locked: only the account is")
			}
			// Memory answers, even with the database's rows gone (only a
			// test removes them; in production a lock-out ends with time).
			if _, err := db.NewDelete().Table("login_attempts").Where("1 = 1").Exec(ctx); err != nil {
				t.Fatal(err)
			}
			if again, err := hp.Throttled(ctx, st, account, "192.0.2.8"); err != nil || again <= 0 || again > wait {
				t.Fatalf("remembered lock: wait %v, %v", again, err)
			}
			hp.ForgetLocks()
			if wait, err := hp.Throttled(ctx, st, account, ip); err != nil || wait != 0 {
				t.Fatalf("after ForgetLocks and with no failures: wait %v, %v", wait, err)
			}
		})
	}
}

// A flood of throttled attempts leaves one record a second per address and
// account, not one per attempt.
func TestRecordThrottledOncePerSecond(t *testing.T) {
	hp := NewHashPool(1, cheapParams)
	if !hp.RecordThrottled("192.0.2.7", "a") {
		t.Fatal("the first throttled attempt is not recorded")
	}
	for range 100 {
		if hp.RecordThrottled("192.0.2.7", "a") {
			t.Fatal("a second throttled attempt within the second is recorded")
		}
	}
	if !hp.RecordThrottled("192.0.2.7", "b") || !hp.RecordThrottled("192.0.2.8", "a") || !hp.RecordThrottled("192.0.2.7", "") {
		t.Fatal("another account or address shares the mark")
	}
	hp.ForgetLocks()
	if !hp.RecordThrottled("192.0.2.7", "a") {
		t.Fatal("not recorded after ForgetLocks")
	}
}
