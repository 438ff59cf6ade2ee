package auth

import (
	"context"
	"slices"
	"sync"
	"time"
)

// TurnWait is the longest a sign-in attempt waits for its turn before it is
// answered as busy (429).
const TurnWait = 3 * time.Second

// AddressKey names a client address for Turn.
func AddressKey(ip string) string { return "ip:" + ip }

// AccountKey names an account (staff, client or operator id) for Turn.
func AccountKey(id string) string { return "account:" + id }

// turns lets one sign-in attempt at a time per key (an address, an account)
// run on this instance from its throttle check to its record. Without it a
// burst of concurrent attempts all read the throttle before any failure is
// recorded and every one of them is hashed; with it each attempt sees the
// failures of the ones before it, so at most the throttle's limit is hashed.
type turns struct {
	mu   sync.Mutex
	held map[string]*turn
}

// turn is one key's token (a channel of one) and how many attempts hold or
// wait for it, so that the map forgets keys nobody uses.
type turn struct {
	token chan struct{}
	users int
}

// Turn waits until the sign-in attempt from address ip for accounts (their
// ids; empty ones are skipped) may run, at most TurnWait or until ctx ends,
// and returns the function that ends the turn; ErrBusy when the wait is too
// long: the caller answers 429 without hashing. Keys are taken in one order
// everywhere (the address, then the accounts sorted), so two attempts never
// wait for each other. Take it before the attempt's throttle check.
func (hp *HashPool) Turn(ctx context.Context, ip string, accounts ...string) (done func(), err error) {
	keys := []string{AddressKey(ip)}
	for _, id := range slices.Sorted(slices.Values(accounts)) {
		if id != "" {
			keys = append(keys, AccountKey(id))
		}
	}
	keys = slices.Compact(keys)
	ctx, cancel := context.WithTimeout(ctx, TurnWait)
	defer cancel()
	var taken []string
	done = func() {
		for _, k := range taken {
			hp.turns.leave(k, true)
		}
	}
	for _, k := range keys {
		t := hp.turns.join(k)
		select {
		case t.token <- struct{}{}:
			taken = append(taken, k)
		case <-ctx.Done():
			hp.turns.leave(k, false)
			done()
			return nil, ErrBusy
		}
	}
	return done, nil
}

// join counts one more user of key's turn and returns it.
func (ts *turns) join(key string) *turn {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if ts.held == nil {
		ts.held = map[string]*turn{}
	}
	t := ts.held[key]
	if t == nil {
		t = &turn{token: make(chan struct{}, 1)}
		ts.held[key] = t
	}
	t.users++
	return t
}

// leave ends a user of key's turn: it gives the token back if it held it,
// and forgets the key when nobody else holds or waits for it.
func (ts *turns) leave(key string, held bool) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	t := ts.held[key]
	if held {
		<-t.token
	}
	if t.users--; t.users == 0 {
		delete(ts.held, key)
	}
}

// waiting reports how many keys have an attempt holding or waiting (tests).
func (ts *turns) waiting() int {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return len(ts.held)
}
