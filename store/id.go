package store

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"time"
)

// NewID returns a new opaque id: a UUIDv7 string (RFC 9562). The 12 bits after
// the millisecond timestamp hold the fraction of the millisecond (method 3 of
// the RFC), so ids made one after another sort in creation order without any
// shared counter; 62 random bits keep them unguessable and unrelated across tenants.
func NewID() string {
	var b [16]byte
	_, _ = rand.Read(b[8:]) // crypto/rand.Read never fails on supported platforms.
	now := time.Now()
	ms := uint64(now.UnixMilli())
	frac := uint64(now.Nanosecond()%1_000_000) * 4096 / 1_000_000 // 0..4095
	var ts [8]byte
	binary.BigEndian.PutUint64(ts[:], ms)
	copy(b[0:6], ts[2:8])
	b[6] = 0x70 | byte(frac>>8) // version 7, then the high 4 bits of the fraction
	b[7] = byte(frac)
	b[8] = (b[8] & 0x3f) | 0x80 // variant 10
	var s [36]byte
	hex.Encode(s[0:8], b[0:4])
	s[8] = '-'
	hex.Encode(s[9:13], b[4:6])
	s[13] = '-'
	hex.Encode(s[14:18], b[6:8])
	s[18] = '-'
	hex.Encode(s[19:23], b[8:10])
	s[23] = '-'
	hex.Encode(s[24:36], b[10:16])
	return string(s[:])
}

// ValidID reports whether s has the shape of an id made by NewID. Handlers use it
// to answer 404 for junk without a query.
func ValidID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < 36; i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
				return false
			}
		}
	}
	return true
}
