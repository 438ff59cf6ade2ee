package auth

import (
	"regexp"
	"testing"
)

func TestGenerateRecoveryCodes(t *testing.T) {
	codes, err := GenerateRecoveryCodes(RecoveryCodeCount)
	if err != nil {
		t.Fatal(err)
	}
	if len(codes) != 10 {
		t.Fatalf("%d codes, want 10", len(codes))
	}
	shape := regexp.MustCompile(`^[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}$`)
	seen := map[string]bool{}
	for _, c := range codes {
		if !shape.MatchString(c) {
			t.Errorf("code %q is not xxxx-xxxx in the unambiguous alphabet", c)
		}
		if seen[c] {
			t.Errorf("duplicate code %q", c)
		}
		seen[c] = true
		if n, ok := normalizeRecoveryCode(c); !ok || n != c[:4]+c[5:] {
			t.Errorf("normalizeRecoveryCode(%q) = %q, %v", c, n, ok)
		}
	}
	// 40 random bits each: over many codes every character of the alphabet shows up.
	more, err := GenerateRecoveryCodes(200)
	if err != nil {
		t.Fatal(err)
	}
	chars := map[rune]bool{}
	for _, c := range more {
		for _, r := range c {
			chars[r] = true
		}
	}
	if len(chars) != len(recoveryAlphabet)+1 { // the alphabet and the hyphen
		t.Errorf("%d distinct characters over 200 codes, want %d", len(chars), len(recoveryAlphabet)+1)
	}
}

func TestNormalizeRecoveryCode(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"ab2c-d3ef", "ab2cd3ef", true},
		{"AB2C-D3EF", "ab2cd3ef", true},
		{" ab2c d3ef ", "ab2cd3ef", true},
		{"ab2cd3ef", "ab2cd3ef", true},
		{"oOiI-lL10", "00111110", true},
		{"ab2c-d3e", "", false},
		{"ab2c-d3efg", "", false},
		{"ab2c-d3eu", "", false}, // u is not in the alphabet
		{"ab2c_d3ef", "", false},
		{"ab2c-d3éf", "", false},
		{"", "", false},
		{"123456", "", false}, // a TOTP code is not a recovery code
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := normalizeRecoveryCode(tt.in)
			if got != tt.want || ok != tt.ok {
				t.Fatalf("normalizeRecoveryCode(%q) = (%q, %v), want (%q, %v)", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}
