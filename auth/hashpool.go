package auth

import (
	"errors"
	"fmt"
	"runtime"
	"sync/atomic"
	"time"
)

// ErrBusy is returned by HashPool when no hashing slot came free in time; handlers should answer 429.
var ErrBusy = errors.New("auth: password hashing pool busy")

// QueueWait is the longest a hash waits for a free slot before ErrBusy.
// Waiters are served in arrival order, and Turn lets each address and
// account have one attempt at a time, so a flood from a few addresses
// queues behind itself while another address waits at most a few hashes.
const QueueWait = 2 * time.Second

// HashPool bounds the number of concurrent password hashes so that a login flood
// cannot exhaust CPU or memory; a hash waits at most QueueWait for a slot,
// in arrival order. Create it with NewHashPool.
type HashPool struct {
	slots  chan struct{}
	params Params
	dummy  string       // hash of a discarded random string with params, for VerifyDummy
	turns  turns        // sign-in attempts in progress per address and account (Turn)
	locks  locks        // lock-outs the database reported, until they end (Throttled)
	shares shares       // sign-in attempts in progress per agency (Share)
	hashed atomic.Int64 // hashes run (Hashed)
	// checked counts the hashes that checked a secret (Checked): only the
	// gate runs them, and a test holds every route to that.
	checked atomic.Int64
}

// Hashed counts the hashes the pool has run (tests and benchmarks).
func (hp *HashPool) Hashed() int64 { return hp.hashed.Load() }

// Checked counts the hashes that checked a secret rather than hashed a new
// one: every one of them belongs to an attempt the gate recorded.
func (hp *HashPool) Checked() int64 { return hp.checked.Load() }

// NewHashPool returns a pool running at most size hashes at once (size ≤ 0 means runtime.NumCPU()) with params p; it panics if p is invalid.
func NewHashPool(size int, p Params) *HashPool {
	if size <= 0 {
		size = runtime.NumCPU()
	}
	if err := p.validate(); err != nil {
		panic(fmt.Sprintf("auth: NewHashPool: invalid params: %v", err))
	}
	secret, err := GenerateTemporaryPassword()
	if err != nil {
		panic(fmt.Sprintf("auth: NewHashPool: dummy secret: %v", err))
	}
	dummy, err := HashPassword(secret, p)
	if err != nil {
		panic(fmt.Sprintf("auth: NewHashPool: dummy hash: %v", err))
	}
	return &HashPool{slots: make(chan struct{}, size), params: p, dummy: dummy}
}

// Params returns the parameters the pool hashes new passwords with.
func (hp *HashPool) Params() Params {
	return hp.params
}

// Hash hashes password with the pool's params, or returns ErrBusy if no slot is free.
func (hp *HashPool) Hash(password string) (string, error) {
	if !hp.tryAcquire() {
		return "", ErrBusy
	}
	defer hp.release()
	return HashPassword(password, hp.params)
}

// verify checks password against encoded, or returns ErrBusy if no slot is free.
func (hp *HashPool) verify(encoded, password string) (bool, error) {
	if !hp.tryAcquire() {
		return false, ErrBusy
	}
	defer hp.release()
	hp.checked.Add(1)
	return VerifyPassword(encoded, password)
}

// verifyDummy spends the cost of a Verify with the pool's params, for unknown accounts, or returns ErrBusy if no slot is free.
func (hp *HashPool) verifyDummy(password string) error {
	if !hp.tryAcquire() {
		return ErrBusy
	}
	defer hp.release()
	hp.checked.Add(1)
	_, _ = VerifyPassword(hp.dummy, password)
	return nil
}

// tryAcquire takes a slot, waiting at most QueueWait behind the attempts
// that came first, and reports whether it got one.
func (hp *HashPool) tryAcquire() bool {
	select {
	case hp.slots <- struct{}{}:
		return true
	default:
	}
	t := time.NewTimer(QueueWait)
	defer t.Stop()
	select {
	case hp.slots <- struct{}{}: // blocked senders are served in arrival order
		return true
	case <-t.C:
		return false
	}
}

// release frees a slot taken by tryAcquire, after one hash.
func (hp *HashPool) release() {
	hp.hashed.Add(1)
	<-hp.slots
}

// Hold takes a free slot without hashing or waiting and returns the function
// that frees it, or ok false when the pool is full. Tests fill the pool with
// it to check what a busy pool answers.
func (hp *HashPool) Hold() (release func(), ok bool) {
	select {
	case hp.slots <- struct{}{}:
		return func() { <-hp.slots }, true
	default:
		return nil, false
	}
}
