package auth

import (
	"crypto/rand"
	"encoding/base32"
	"fmt"
	"strings"
)

// RecoveryCodeCount is how many recovery codes an enrolment hands out.
const RecoveryCodeCount = 10

// recoveryAlphabet is Crockford's base32 in lower case: no i, l, o or u, so
// nothing reads as another character; typed 'o', 'i' and 'l' are read as 0 and 1.
const recoveryAlphabet = "0123456789abcdefghjkmnpqrstvwxyz"

var recoveryEncoding = base32.NewEncoding(recoveryAlphabet).WithPadding(base32.NoPadding)

// recoveryCodeBytes random bytes make one code of recoveryCodeLen characters: 40 bits.
const (
	recoveryCodeBytes = 5
	recoveryCodeLen   = 8
)

// GenerateRecoveryCodes returns n distinct one-time recovery codes shaped
// "xxxx-xxxx", each carrying 40 random bits.
func GenerateRecoveryCodes(n int) ([]string, error) {
	codes := make([]string, 0, n)
	seen := make(map[string]bool, n)
	for len(codes) < n {
		var b [recoveryCodeBytes]byte
		if _, err := rand.Read(b[:]); err != nil {
			return nil, fmt.Errorf("auth: random recovery code: %w", err)
		}
		s := recoveryEncoding.EncodeToString(b[:])
		if seen[s] {
			continue
		}
		seen[s] = true
		codes = append(codes, s[:4]+"-"+s[4:])
	}
	return codes, nil
}

// normalizeRecoveryCode reads a typed recovery code the forgiving way (any
// case, spaces and hyphens anywhere, o/i/l for 0/1) and reports whether it has
// the shape of one.
func normalizeRecoveryCode(code string) (string, bool) {
	var sb strings.Builder
	for _, r := range strings.ToLower(code) {
		switch r {
		case ' ', '\t', '-':
			continue
		case 'o':
			r = '0'
		case 'i', 'l':
			r = '1'
		}
		if r > 0x7f || !strings.ContainsRune(recoveryAlphabet, r) {
			return "", false
		}
		if sb.Len() == recoveryCodeLen {
			return "", false
		}
		sb.WriteRune(r)
	}
	if sb.Len() != recoveryCodeLen {
		return "", false
	}
	return sb.String(), true
}
