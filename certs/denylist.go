package certs

import (
	"sync"
	"time"
)

// denyList remembers names whose certificate could not be obtained recently,
// so that handshakes for them fail at once instead of waiting on issuance
// (certmagic has no memory of failures). It is bounded in size.
type denyList struct {
	ttl time.Duration
	max int

	mu sync.Mutex
	m  map[string]denial
}

type denial struct {
	reason string
	until  time.Time
}

func newDenyList(ttl time.Duration, max int) *denyList {
	return &denyList{ttl: ttl, max: max, m: map[string]denial{}}
}

// add denies name for the list's ttl, with the reason it failed.
func (d *denyList) add(name, reason string) {
	now := time.Now()
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(d.m) >= d.max {
		for k, v := range d.m {
			if now.After(v.until) {
				delete(d.m, k)
			}
		}
		for k := range d.m {
			if len(d.m) < d.max {
				break
			}
			delete(d.m, k)
		}
	}
	d.m[name] = denial{reason: reason, until: now.Add(d.ttl)}
}

// get returns why name is denied, if it is.
func (d *denyList) get(name string) (string, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	v, ok := d.m[name]
	if !ok {
		return "", false
	}
	if time.Now().After(v.until) {
		delete(d.m, name)
		return "", false
	}
	return v.reason, true
}

// remove lifts a denial (the name was obtained, re-verified or removed).
func (d *denyList) remove(name string) {
	d.mu.Lock()
	delete(d.m, name)
	d.mu.Unlock()
}
