package auth

import (
	"errors"
	"fmt"
	"runtime"
)

// ErrBusy is returned by HashPool when every hashing slot is in use; handlers should answer 429.
var ErrBusy = errors.New("auth: password hashing pool busy")

// HashPool bounds the number of concurrent password hashes so that a login flood
// cannot exhaust CPU or memory; calls never wait for a slot. Create it with NewHashPool.
type HashPool struct {
	slots  chan struct{}
	params Params
	dummy  string // hash of a discarded random string with params, for VerifyDummy
	turns  turns  // sign-in attempts in progress per address and account (Turn)
	locks  locks  // lock-outs the database reported, until they end (Throttled)
}

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

// Verify checks password against encoded, or returns ErrBusy if no slot is free.
func (hp *HashPool) Verify(encoded, password string) (bool, error) {
	if !hp.tryAcquire() {
		return false, ErrBusy
	}
	defer hp.release()
	return VerifyPassword(encoded, password)
}

// VerifyDummy spends the cost of a Verify with the pool's params, for unknown accounts, or returns ErrBusy if no slot is free.
func (hp *HashPool) VerifyDummy(password string) error {
	if !hp.tryAcquire() {
		return ErrBusy
	}
	defer hp.release()
	_, _ = VerifyPassword(hp.dummy, password)
	return nil
}

// tryAcquire takes a slot without waiting and reports whether it got one.
func (hp *HashPool) tryAcquire() bool {
	select {
	case hp.slots <- struct{}{}:
		return true
	default:
		return false
	}
}

// release frees a slot taken by tryAcquire.
func (hp *HashPool) release() {
	<-hp.slots
}

// Hold takes a slot without hashing and returns the function that frees it,
// or ok false when the pool is full. Tests fill the pool with it to check
// that a busy pool answers at once.
func (hp *HashPool) Hold() (release func(), ok bool) {
	if !hp.tryAcquire() {
		return nil, false
	}
	return hp.release, true
}
