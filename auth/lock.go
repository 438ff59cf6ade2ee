package auth

import (
	"context"
	"sync"
	"time"
)

// locks remembers the lock-outs the database reported on this instance,
// per key (AddressKey, AccountKey), until they end. A lock-out only ends
// with time (failures leave the throttle's window; nothing unlocks early),
// so the memory answers exactly as the database would, without its queries:
// a flood of attempts at a locked account or address costs no query to
// throttle. The database stays the source of truth across instances: an
// attempt that memory does not refuse is checked there.
type locks struct {
	mu       sync.Mutex
	until    map[string]time.Time
	recorded map[string]time.Time // when a throttled attempt was last recorded, per address and account
}

// ThrottledRecordEvery is how often a throttled attempt is recorded per
// address and account on one instance: a flood at a locked account leaves a
// trace each second, not a row per attempt (200 a second would be 720,000
// rows an hour, each a commit).
const ThrottledRecordEvery = time.Second

// maxRememberedLocks is when remember sweeps out ended lock-outs.
const maxRememberedLocks = 10000

// wait returns how long key stays locked, 0 when memory knows no lock.
func (l *locks) wait(key string, now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	until, ok := l.until[key]
	if !ok {
		return 0
	}
	if !until.After(now) {
		delete(l.until, key)
		return 0
	}
	return until.Sub(now)
}

// remember notes that key is locked until until.
func (l *locks) remember(key string, until time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.until == nil {
		l.until = map[string]time.Time{}
	}
	if len(l.until) >= maxRememberedLocks {
		now := time.Now()
		for k, u := range l.until {
			if !u.After(now) {
				delete(l.until, k)
			}
		}
	}
	l.until[key] = until
}

// RecordThrottled reports whether a throttled attempt from ip for accountID
// (may be empty) is to be recorded: the first each ThrottledRecordEvery per
// address and account on this instance.
func (hp *HashPool) RecordThrottled(ip, accountID string) bool {
	l := &hp.locks
	key := AddressKey(ip) + " " + AccountKey(accountID)
	now := time.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if last, ok := l.recorded[key]; ok && now.Sub(last) < ThrottledRecordEvery {
		return false
	}
	if l.recorded == nil || len(l.recorded) >= maxRememberedLocks {
		l.recorded = map[string]time.Time{} // older marks only cost an extra record
	}
	l.recorded[key] = now
	return true
}

// Throttled is Store.Throttled with this instance's memory of lock-outs:
// how long the attempt for accountID (may be empty) from ip must wait, 0 to
// go ahead. Call it during the attempt's Turn.
func (hp *HashPool) Throttled(ctx context.Context, s *Store, accountID, ip string) (time.Duration, error) {
	now := time.Now()
	var longest time.Duration
	if accountID != "" {
		longest = hp.locks.wait(AccountKey(accountID), now)
	}
	if ip != "" {
		longest = max(longest, hp.locks.wait(AddressKey(ip), now))
	}
	if longest > 0 {
		return longest, nil
	}
	for _, k := range []struct{ account, ip, key string }{
		{accountID, "", AccountKey(accountID)},
		{"", ip, AddressKey(ip)},
	} {
		if k.account == "" && k.ip == "" {
			continue
		}
		wait, err := s.Throttled(ctx, k.account, k.ip)
		if err != nil {
			return 0, err
		}
		if wait > 0 {
			hp.locks.remember(k.key, now.Add(wait))
			longest = max(longest, wait)
		}
	}
	return longest, nil
}

// ForgetLocks forgets the remembered lock-outs: for tests that empty the
// attempts table to start again.
func (hp *HashPool) ForgetLocks() {
	hp.locks.mu.Lock()
	defer hp.locks.mu.Unlock()
	clear(hp.locks.until)
	clear(hp.locks.recorded)
}
