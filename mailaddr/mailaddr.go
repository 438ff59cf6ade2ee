// Package mailaddr checks and normalizes email addresses. It sits below the
// packages of accounts (auth) and of workspace data (workspace), which both
// take addresses.
package mailaddr

import (
	"errors"
	"net/mail"
	"strings"
)

// ErrInvalid means an address is not a plain email address.
var ErrInvalid = errors.New("invalid email address")

// Normalize trims and lowercases an address and checks its shape, so that
// comparisons are exact and case-insensitive.
func Normalize(s string) (string, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" || len(s) > 254 {
		return "", ErrInvalid
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" || !strings.Contains(s[strings.LastIndexByte(s, '@')+1:], ".") &&
		!strings.HasSuffix(s, "@localhost") {
		return "", ErrInvalid
	}
	return s, nil
}
