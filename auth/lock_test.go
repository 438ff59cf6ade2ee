package auth

import (
	"testing"
)

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
