package auth

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

const testSecretKey = "test-secret-key-0123456789abcdef"

func newTestBox(t *testing.T, key string) *SecretBox {
	t.Helper()
	b, err := NewSecretBox(key)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestNewSecretBoxRefusesShortKeys(t *testing.T) {
	for _, key := range []string{"", "short", strings.Repeat("k", MinSecretKeyLength-1)} {
		_, err := NewSecretBox(key)
		if err == nil || !strings.Contains(err.Error(), "WORKRATE_SECRET_KEY") {
			t.Errorf("NewSecretBox(%q) error = %v, want a clear refusal naming WORKRATE_SECRET_KEY", key, err)
		}
	}
	if _, err := NewSecretBox(strings.Repeat("k", MinSecretKeyLength)); err != nil {
		t.Errorf("a %d-byte key refused: %v", MinSecretKeyLength, err)
	}
}

func TestSecretBoxRoundTrip(t *testing.T) {
	box := newTestBox(t, testSecretKey)
	for _, plain := range [][]byte{[]byte("12345678901234567890"), {}, bytes.Repeat([]byte{0xff}, 1000)} {
		sealed, err := box.Seal(plain)
		if err != nil {
			t.Fatal(err)
		}
		if sealed[0] != secretBoxV1 {
			t.Errorf("version byte %d, want %d", sealed[0], secretBoxV1)
		}
		if len(plain) > 0 && bytes.Contains(sealed, plain) {
			t.Error("sealed value contains the plain text")
		}
		got, err := box.Open(sealed)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, plain) {
			t.Errorf("Open = %x, want %x", got, plain)
		}
		// The same key from the configuration opens it in another process.
		if got, err := newTestBox(t, testSecretKey).Open(sealed); err != nil || !bytes.Equal(got, plain) {
			t.Errorf("a second box on the same key: %x, %v", got, err)
		}
	}
	a, _ := box.Seal([]byte("same"))
	b, _ := box.Seal([]byte("same"))
	if bytes.Equal(a, b) {
		t.Error("two seals of the same text are equal: nonce not random")
	}
}

func TestSecretBoxRefusesTamperingAndOtherKeys(t *testing.T) {
	box := newTestBox(t, testSecretKey)
	sealed, err := box.Seal([]byte("12345678901234567890"))
	if err != nil {
		t.Fatal(err)
	}
	flip := func(i int) []byte {
		c := bytes.Clone(sealed)
		c[i] ^= 0x01
		return c
	}
	tests := []struct {
		name   string
		box    *SecretBox
		sealed []byte
	}{
		{"version byte changed", box, flip(0)},
		{"nonce changed", box, flip(1)},
		{"ciphertext changed", box, flip(len(sealed) / 2)},
		{"tag changed", box, flip(len(sealed) - 1)},
		{"truncated", box, sealed[:len(sealed)-1]},
		{"too short", box, sealed[:5]},
		{"empty", box, nil},
		{"other key", newTestBox(t, testSecretKey+"-rotated"), sealed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.box.Open(tt.sealed)
			if !errors.Is(err, ErrUnseal) || got != nil {
				t.Fatalf("Open = (%x, %v), want ErrUnseal", got, err)
			}
		})
	}
}

func TestSecretBoxBindsOwner(t *testing.T) {
	box := newTestBox(t, testSecretKey)
	sealed, err := box.seal([]byte("secret"), []byte("staff/agency-a/user-1"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := box.open(sealed, []byte("staff/agency-a/user-1")); err != nil {
		t.Fatalf("own owner: %v", err)
	}
	for _, other := range [][]byte{[]byte("staff/agency-a/user-2"), nil} {
		if _, err := box.open(sealed, other); !errors.Is(err, ErrUnseal) {
			t.Errorf("owner %q opened a value sealed for another: %v", other, err)
		}
	}
}

func TestRecoveryCodeHashIsKeyed(t *testing.T) {
	a := newTestBox(t, testSecretKey)
	b := newTestBox(t, testSecretKey+"-other")
	if a.hashRecoveryCode("abcd2345") != newTestBox(t, testSecretKey).hashRecoveryCode("abcd2345") {
		t.Error("the same key hashes differently")
	}
	if a.hashRecoveryCode("abcd2345") == b.hashRecoveryCode("abcd2345") {
		t.Error("different keys hash alike: the hash is not keyed")
	}
	if a.hashRecoveryCode("abcd2345") == a.hashRecoveryCode("abcd2346") {
		t.Error("different codes hash alike")
	}
}
