// Package auth holds WorkRate's authentication primitives.
package auth

import (
	"crypto/rand"
	"crypto/subtle"
	_ "embed"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"workrate/field"
)

// MaxPasswordBytes is the longest password, in bytes, accepted before any hashing.
const MaxPasswordBytes = 1024

// Limits applied to Params, both when hashing and when parsing a stored hash,
// so that a tampered database row cannot make verification arbitrarily costly.
const (
	maxMemoryKiB = 1024 * 1024 // 1 GiB
	maxTime      = 10
	minKeyLen    = 16
	maxKeyLen    = 128
	minSaltLen   = 8
	maxSaltLen   = 128
)

// phcPrefix is the algorithm identifier of every hash produced by this package.
const phcPrefix = "$argon2id$"

// dummyHash is the argon2id hash, with DefaultParams, of a random string that
// was thrown away; VerifyDummy verifies against it.
const dummyHash = "$argon2id$v=19$m=19456,t=2,p=1$v0h6w4njNfq5qz2e8CrnIg$6lOqG9wQfogT6wO/SuPN6A1YbonS5r/HFeqGxL+J/Ks"

// ErrInvalidHash reports a stored password hash that is malformed or uses unsupported parameters.
var ErrInvalidHash = errors.New("auth: invalid password hash")

// Params are the argon2id cost parameters used to hash a password.
type Params struct {
	Memory  uint32 // memory in KiB
	Time    uint32 // number of passes over the memory
	Threads uint8  // degree of parallelism
	KeyLen  uint32 // length of the derived key in bytes
	SaltLen uint32 // length of the random salt in bytes
}

// DefaultParams returns the OWASP-recommended argon2id parameters (19 MiB, 2 passes, 1 thread).
func DefaultParams() Params {
	return Params{Memory: 19 * 1024, Time: 2, Threads: 1, KeyLen: 32, SaltLen: 16}
}

// validate refuses parameters that argon2 cannot use or that are absurdly costly.
func (p Params) validate() error {
	switch {
	case p.Threads < 1:
		return fmt.Errorf("threads %d: must be at least 1", p.Threads)
	case p.Time < 1 || p.Time > maxTime:
		return fmt.Errorf("time %d: must be between 1 and %d", p.Time, maxTime)
	case p.Memory < 8*uint32(p.Threads) || p.Memory > maxMemoryKiB:
		return fmt.Errorf("memory %d KiB: must be between %d and %d", p.Memory, 8*uint32(p.Threads), maxMemoryKiB)
	case p.KeyLen < minKeyLen || p.KeyLen > maxKeyLen:
		return fmt.Errorf("key length %d: must be between %d and %d", p.KeyLen, minKeyLen, maxKeyLen)
	case p.SaltLen < minSaltLen || p.SaltLen > maxSaltLen:
		return fmt.Errorf("salt length %d: must be between %d and %d", p.SaltLen, minSaltLen, maxSaltLen)
	}
	return nil
}

// CheckLength returns ErrPasswordTooLong when password is longer than MaxPasswordBytes.
func CheckLength(password string) error {
	if len(password) > MaxPasswordBytes {
		return field.Limited("password", field.PasswordTooLong, MaxPasswordBytes)
	}
	return nil
}

// HashPassword hashes password with argon2id and a random salt, returning a PHC string.
func HashPassword(password string, p Params) (string, error) {
	if err := CheckLength(password); err != nil {
		return "", fmt.Errorf("auth: hash password: %w", err)
	}
	if err := p.validate(); err != nil {
		return "", fmt.Errorf("auth: hash password: invalid params: %w", err)
	}
	salt := make([]byte, p.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("auth: hash password: read salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	return encodePHC(p, salt, key), nil
}

// VerifyPassword reports whether password matches the PHC-encoded argon2id hash.
func VerifyPassword(encoded, password string) (ok bool, err error) {
	if err := CheckLength(password); err != nil {
		return false, fmt.Errorf("auth: verify password: %w", err)
	}
	h, err := parsePHC(encoded)
	if err != nil {
		return false, fmt.Errorf("auth: verify password: %w", err)
	}
	key := argon2.IDKey([]byte(password), h.salt, h.params.Time, h.params.Memory, h.params.Threads, h.params.KeyLen)
	return subtle.ConstantTimeCompare(key, h.key) == 1, nil
}

// NeedsRehash reports whether encoded was not produced with p; malformed hashes also need rehashing.
func NeedsRehash(encoded string, p Params) bool {
	h, err := parsePHC(encoded)
	if err != nil {
		return true
	}
	return h.params != p
}

// VerifyDummy spends the same effort as VerifyPassword with DefaultParams, for unknown accounts.
func VerifyDummy(password string) {
	_, _ = VerifyPassword(dummyHash, password)
}

// phcHash is a parsed argon2id PHC string.
type phcHash struct {
	params Params
	salt   []byte
	key    []byte
}

// encodePHC formats an argon2id hash as a PHC string.
func encodePHC(p Params, salt, key []byte) string {
	return fmt.Sprintf("%sv=%d$m=%d,t=%d,p=%d$%s$%s",
		phcPrefix, argon2.Version, p.Memory, p.Time, p.Threads,
		base64.RawStdEncoding.EncodeToString(salt),
		base64.RawStdEncoding.EncodeToString(key))
}

// parsePHC strictly parses "$argon2id$v=19$m=<m>,t=<t>,p=<p>$<salt>$<hash>".
// All returned errors wrap ErrInvalidHash.
func parsePHC(encoded string) (phcHash, error) {
	var h phcHash
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" {
		return h, fmt.Errorf("%w: want 6 '$'-separated fields starting with an empty one, got %d", ErrInvalidHash, len(parts))
	}
	if parts[1] != "argon2id" {
		return h, fmt.Errorf("%w: unsupported algorithm %q", ErrInvalidHash, truncate(parts[1]))
	}
	if parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return h, fmt.Errorf("%w: unsupported version %q", ErrInvalidHash, truncate(parts[2]))
	}

	fields := strings.Split(parts[3], ",")
	if len(fields) != 3 {
		return h, fmt.Errorf("%w: want parameters m,t,p, got %q", ErrInvalidHash, truncate(parts[3]))
	}
	m, err := parseParam(fields[0], "m", 32)
	if err != nil {
		return h, err
	}
	t, err := parseParam(fields[1], "t", 32)
	if err != nil {
		return h, err
	}
	p, err := parseParam(fields[2], "p", 8)
	if err != nil {
		return h, err
	}

	salt, err := base64.RawStdEncoding.Strict().DecodeString(parts[4])
	if err != nil {
		return h, fmt.Errorf("%w: decode salt: %w", ErrInvalidHash, err)
	}
	key, err := base64.RawStdEncoding.Strict().DecodeString(parts[5])
	if err != nil {
		return h, fmt.Errorf("%w: decode hash: %w", ErrInvalidHash, err)
	}

	h.params = Params{
		Memory:  uint32(m),
		Time:    uint32(t),
		Threads: uint8(p),
		KeyLen:  uint32(len(key)),
		SaltLen: uint32(len(salt)),
	}
	if err := h.params.validate(); err != nil {
		return h, fmt.Errorf("%w: %w", ErrInvalidHash, err)
	}
	h.salt, h.key = salt, key
	return h, nil
}

// parseParam parses "name=value" as a canonical decimal number of at most bits bits.
func parseParam(field, name string, bits int) (uint64, error) {
	value, ok := strings.CutPrefix(field, name+"=")
	if !ok {
		return 0, fmt.Errorf("%w: want parameter %q, got %q", ErrInvalidHash, name, truncate(field))
	}
	if len(value) > 1 && value[0] == '0' {
		return 0, fmt.Errorf("%w: parameter %s has leading zeros", ErrInvalidHash, name)
	}
	n, err := strconv.ParseUint(value, 10, bits)
	if err != nil {
		return 0, fmt.Errorf("%w: parameter %s: %w", ErrInvalidHash, name, err)
	}
	return n, nil
}

// truncate shortens s for inclusion in error messages.
func truncate(s string) string {
	const limit = 64
	if len(s) > limit {
		return s[:limit] + "..."
	}
	return s
}

// MinPasswordLength is the minimum length, in characters (runes), of a new password.
const MinPasswordLength = 10

// The password policy's refusals, matched with errors.Is (codes are
// compared); each is a *field.Error about the field "password", which
// callers move to their own input with In.
var (
	// ErrPasswordTooShort matches passwords shorter than MinPasswordLength characters.
	ErrPasswordTooShort error = field.Limited("password", field.PasswordTooShort, MinPasswordLength)
	// ErrPasswordTooLong matches passwords longer than MaxPasswordBytes bytes.
	ErrPasswordTooLong error = field.Limited("password", field.PasswordTooLong, MaxPasswordBytes)
	// ErrPasswordCommon matches passwords found in the embedded common-password list.
	ErrPasswordCommon error = field.New("password", field.PasswordCommon)
)

// ValidateNewPassword checks a new password against the policy, returning a *field.Error on refusal.
func ValidateNewPassword(password string) error {
	if err := CheckLength(password); err != nil {
		return err
	}
	if utf8.RuneCountInString(password) < MinPasswordLength {
		return field.Limited("password", field.PasswordTooShort, MinPasswordLength)
	}
	if isCommonPassword(password) {
		return field.New("password", field.PasswordCommon)
	}
	return nil
}

// commonPasswordList is the embedded list of common passwords, one per line, lowercase.
//
//go:embed common_passwords.txt
var commonPasswordList string

// commonPasswords returns the immutable set built once from commonPasswordList.
var commonPasswords = sync.OnceValue(func() map[string]struct{} {
	set := make(map[string]struct{})
	for line := range strings.Lines(commonPasswordList) {
		if w := strings.TrimSpace(line); w != "" {
			set[strings.ToLower(w)] = struct{}{}
		}
	}
	return set
})

// isCommonPassword reports whether password, ignoring case, is in the common list.
func isCommonPassword(password string) bool {
	_, ok := commonPasswords()[strings.ToLower(password)]
	return ok
}
