package auth

import (
	"crypto/rand"
	"fmt"
	"strings"
)

// Shape of a temporary password: tempGroups groups of tempGroupLen characters
// drawn uniformly from tempAlphabet, joined by '-'. The alphabet has 31
// symbols (lowercase letters and digits without 0, o, 1, l and i), so a
// password carries 20 × log2(31) ≈ 99 bits of entropy.
const (
	tempAlphabet  = "abcdefghjkmnpqrstuvwxyz23456789"
	tempGroups    = 4
	tempGroupLen  = 5
	tempSeparator = '-'
	// tempByteLimit is the largest multiple of len(tempAlphabet) not above 256;
	// random bytes at or above it are rejected so that b % len(tempAlphabet) is uniform.
	tempByteLimit = 256 - 256%len(tempAlphabet)
)

// GenerateTemporaryPassword returns a random password that is easy to read aloud, such as "k7m2p-xq9rt-4hv8w-jn3sd".
func GenerateTemporaryPassword() (string, error) {
	const symbols = tempGroups * tempGroupLen
	var b strings.Builder
	b.Grow(symbols + tempGroups - 1)
	buf := make([]byte, 2*symbols)
	written := 0
	for written < symbols {
		if _, err := rand.Read(buf); err != nil {
			return "", fmt.Errorf("auth: generate temporary password: %w", err)
		}
		for _, c := range buf {
			if written == symbols {
				break
			}
			if int(c) >= tempByteLimit {
				continue
			}
			if written > 0 && written%tempGroupLen == 0 {
				b.WriteByte(tempSeparator)
			}
			b.WriteByte(tempAlphabet[int(c)%len(tempAlphabet)])
			written++
		}
	}
	return b.String(), nil
}
