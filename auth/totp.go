package auth

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base32"
	"encoding/binary"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// TOTP parameters: what every authenticator app expects by default (RFC 6238
// with HMAC-SHA1, 30-second steps, 6 digits).
const (
	TOTPPeriod     = 30
	TOTPDigits     = 6
	TOTPSecretSize = 20 // bytes: the 160 bits RFC 4226 recommends for HMAC-SHA1
)

// base32NoPad is the secret's text form for the otpauth URI and manual entry.
var base32NoPad = base32.StdEncoding.WithPadding(base32.NoPadding)

// GenerateTOTPSecret returns a new random TOTP secret of TOTPSecretSize bytes.
func GenerateTOTPSecret() ([]byte, error) {
	b := make([]byte, TOTPSecretSize)
	if _, err := rand.Read(b); err != nil {
		return nil, fmt.Errorf("auth: random TOTP secret: %w", err)
	}
	return b, nil
}

// TOTPStep returns the RFC 6238 time step that t falls in.
func TOTPStep(t time.Time) int64 {
	u := t.Unix()
	if u < 0 {
		return 0
	}
	return u / TOTPPeriod
}

// hotp computes the RFC 4226 code of secret at counter with the given number of digits.
func hotp(secret []byte, counter uint64, digits int) string {
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], counter)
	m := hmac.New(sha1.New, secret)
	m.Write(msg[:])
	sum := m.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	bin := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	mod := uint32(1)
	for range digits {
		mod *= 10
	}
	return fmt.Sprintf("%0*d", digits, bin%mod)
}

// TOTPCode returns the 6-digit code of secret at time t.
func TOTPCode(secret []byte, t time.Time) string {
	return hotp(secret, uint64(TOTPStep(t)), TOTPDigits)
}

// normalizeTOTPCode drops the spaces people type or paste inside a code and
// reports whether what is left is exactly TOTPDigits ASCII digits.
func normalizeTOTPCode(code string) (string, bool) {
	code = strings.Join(strings.Fields(code), "")
	if len(code) != TOTPDigits {
		return "", false
	}
	for i := 0; i < len(code); i++ {
		if code[i] < '0' || code[i] > '9' {
			return "", false
		}
	}
	return code, true
}

// VerifyTOTP checks code against secret at time t. It accepts the current step
// and one step either side (clock drift), but never a step at or before
// lastStep, so a code cannot be used twice. On success it returns the matched
// step, which the caller must store as the new lastStep.
func VerifyTOTP(secret []byte, code string, t time.Time, lastStep int64) (step int64, ok bool) {
	code, valid := normalizeTOTPCode(code)
	if !valid || len(secret) == 0 {
		return 0, false
	}
	now := TOTPStep(t)
	// Every candidate is computed and compared, matched or not, so the time
	// taken says nothing about which step (if any) matched.
	for s := now - 1; s <= now+1; s++ {
		want := hotp(secret, uint64(max(s, 0)), TOTPDigits)
		match := subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1
		if match && s > lastStep && s >= 0 && !ok {
			step, ok = s, true
		}
	}
	return step, ok
}

// EncodeTOTPSecret returns the secret as unpadded base32, the form people type
// into an authenticator app when they cannot scan the QR code.
func EncodeTOTPSecret(secret []byte) string {
	return base32NoPad.EncodeToString(secret)
}

// uriEscape escapes s for the otpauth URI: spaces as %20 (some apps show a '+'
// literally) and every reserved character, the label's ':' included.
func uriEscape(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}

// TOTPURI returns the otpauth:// key URI that authenticator apps read from the
// QR code: label "Issuer:account", the base32 secret without padding, and the
// algorithm, digits and period spelled out.
func TOTPURI(issuer, account string, secret []byte) string {
	return "otpauth://totp/" + uriEscape(issuer) + ":" + uriEscape(account) +
		"?secret=" + EncodeTOTPSecret(secret) +
		"&issuer=" + uriEscape(issuer) +
		"&algorithm=SHA1&digits=" + fmt.Sprint(TOTPDigits) + "&period=" + fmt.Sprint(TOTPPeriod)
}
