package auth

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
)

// MinSecretKeyLength is the shortest WORKRATE_SECRET_KEY accepted, in bytes.
const MinSecretKeyLength = 16

// secretBoxV1 marks AES-256-GCM under the key derived from the configured
// secret. A later key or algorithm gets a new version, so old rows stay readable
// while they are re-sealed.
const secretBoxV1 byte = 1

// ErrUnseal means a sealed value does not open: it was altered, or sealed
// under another key or for another owner.
var ErrUnseal = errors.New("auth: sealed secret does not open (altered, or sealed with another key)")

// SecretBox encrypts secrets kept at rest (TOTP secrets) with a key from the
// configuration, so a copy of the database alone does not reveal them.
type SecretBox struct {
	aead    cipher.AEAD
	hashKey []byte // keys the hash of recovery codes
}

// NewSecretBox derives the box's keys from the configured secret key
// (WORKRATE_SECRET_KEY) with HKDF-SHA256; a key shorter than
// MinSecretKeyLength bytes is refused.
func NewSecretBox(key string) (*SecretBox, error) {
	if len(key) < MinSecretKeyLength {
		return nil, fmt.Errorf("auth: the secret key (WORKRATE_SECRET_KEY) must be at least %d bytes; generate one with: openssl rand -base64 32", MinSecretKeyLength)
	}
	encKey, err := hkdf.Key(sha256.New, []byte(key), nil, "workrate secretbox v1 aes-256-gcm", 32)
	if err != nil {
		return nil, fmt.Errorf("auth: derive encryption key: %w", err)
	}
	hashKey, err := hkdf.Key(sha256.New, []byte(key), nil, "workrate recovery codes v1 hmac-sha256", 32)
	if err != nil {
		return nil, fmt.Errorf("auth: derive hash key: %w", err)
	}
	block, err := aes.NewCipher(encKey)
	if err != nil {
		return nil, fmt.Errorf("auth: secret box cipher: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("auth: secret box GCM: %w", err)
	}
	return &SecretBox{aead: aead, hashKey: hashKey}, nil
}

// Seal encrypts plain: a version byte, a random nonce, then the ciphertext and tag.
func (b *SecretBox) Seal(plain []byte) ([]byte, error) { return b.seal(plain, nil) }

// Open decrypts what Seal returned; anything altered or sealed under another
// key is ErrUnseal.
func (b *SecretBox) Open(sealed []byte) ([]byte, error) { return b.open(sealed, nil) }

// seal encrypts plain bound to owner: it opens only with the same owner, so a
// sealed value copied to another row is refused.
func (b *SecretBox) seal(plain, owner []byte) ([]byte, error) {
	ns := b.aead.NonceSize()
	out := make([]byte, 1+ns, 1+ns+len(plain)+b.aead.Overhead())
	out[0] = secretBoxV1
	if _, err := rand.Read(out[1:]); err != nil {
		return nil, fmt.Errorf("auth: random nonce: %w", err)
	}
	return b.aead.Seal(out, out[1:], plain, additionalData(secretBoxV1, owner)), nil
}

// open decrypts a value sealed for owner.
func (b *SecretBox) open(sealed, owner []byte) ([]byte, error) {
	ns := b.aead.NonceSize()
	if len(sealed) < 1+ns+b.aead.Overhead() || sealed[0] != secretBoxV1 {
		return nil, ErrUnseal
	}
	plain, err := b.aead.Open(nil, sealed[1:1+ns], sealed[1+ns:], additionalData(sealed[0], owner))
	if err != nil {
		return nil, ErrUnseal
	}
	return plain, nil
}

// additionalData authenticates the version byte and the owner with the ciphertext.
func additionalData(version byte, owner []byte) []byte {
	return append([]byte{version}, owner...)
}

// hashRecoveryCode returns the keyed hash stored for a normalized recovery code.
// A code has 40 random bits: too many to guess online under the sign-in
// throttle, so no slow hash is needed; but a plain SHA-256 of 40 bits falls to
// an offline search in minutes, so the hash is keyed with a key derived from
// the configuration: a copy of the table alone reveals nothing.
func (b *SecretBox) hashRecoveryCode(code string) string {
	m := hmac.New(sha256.New, b.hashKey)
	m.Write([]byte(code))
	return hex.EncodeToString(m.Sum(nil))
}
