package auth

import (
	"context"
	"sync"
	"time"
)

// locks remembers the lock-outs the database reported on this instance,
// per key (an email and address pair, an address group), until they end. A lock-out only ends
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

// RecordThrottled reports whether a throttled attempt from the address group
// addr for email is to be recorded: the first each ThrottledRecordEvery per
// address and email on this instance.
func (hp *HashPool) RecordThrottled(addr, email string) bool {
	l := &hp.locks
	key := addr + " " + email
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

// throttled is Store.Throttled with this instance's memory of the waits the
// database reported for an email and address pair, or for an address group:
// a flood at a throttled pair or from a throttled address costs no query.
// An email's own delay is not remembered: it spares the owner's usual
// address, which only the database knows. Call it during the attempt's Turn.
func (hp *HashPool) throttled(ctx context.Context, s *Store, email, addr string) (time.Duration, error) {
	now := time.Now()
	pair, byAddr := "pair:"+email+" "+addr, "addr:"+addr
	if wait := max(hp.locks.wait(pair, now), hp.locks.wait(byAddr, now)); wait > 0 {
		return wait, nil
	}
	wait, addrLimit, err := s.throttled(ctx, email, addr)
	if err != nil || wait == 0 {
		return 0, err
	}
	key := pair
	if addrLimit {
		key = byAddr
	}
	hp.locks.remember(key, now.Add(wait))
	return wait, nil
}

// ForgetLocks forgets the remembered waits: for tests that empty the
// attempts table to start again.
func (hp *HashPool) ForgetLocks() {
	hp.locks.mu.Lock()
	defer hp.locks.mu.Unlock()
	clear(hp.locks.until)
	clear(hp.locks.recorded)
}
