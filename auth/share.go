package auth

import "sync"

// shareOf is how many sign-in attempts of one agency may hash or wait for the
// pool at once on this instance, per hashing slot (at least minShare): a
// flood at one agency's hosts leaves room in the queue for every other
// agency. Each address has one attempt at a time (Turn), so a share counts
// addresses.
const (
	shareOf  = 8
	minShare = 16
)

// shares counts the attempts in progress per agency ("" is the platform host).
type shares struct {
	mu   sync.Mutex
	busy map[string]int
}

// share takes a place in agency's share of the pool and returns the function
// that gives it back; ok is false when the share is full (answer 429).
func (hp *HashPool) share(agency string) (release func(), ok bool) {
	limit := max(shareOf*cap(hp.slots), minShare)
	s := &hp.shares
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.busy == nil {
		s.busy = map[string]int{}
	}
	if s.busy[agency] >= limit {
		return nil, false
	}
	s.busy[agency]++
	return func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.busy[agency]--; s.busy[agency] <= 0 {
			delete(s.busy, agency)
		}
	}, true
}
