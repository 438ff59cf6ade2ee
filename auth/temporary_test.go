package auth

import (
	"math"
	"regexp"
	"strings"
	"testing"
)

func TestTemporaryAlphabet(t *testing.T) {
	tests := []struct {
		name  string
		check func(t *testing.T)
	}{
		{"no ambiguous characters", func(t *testing.T) {
			if strings.ContainsAny(tempAlphabet, "0o1liI") {
				t.Errorf("alphabet %q contains an ambiguous character", tempAlphabet)
			}
		}},
		{"no duplicates", func(t *testing.T) {
			for i, c := range tempAlphabet {
				if strings.IndexRune(tempAlphabet, c) != i {
					t.Errorf("alphabet %q repeats %q, which biases the draw", tempAlphabet, c)
				}
			}
		}},
		{"lowercase letters and digits only", func(t *testing.T) {
			if !regexp.MustCompile(`^[a-z2-9]+$`).MatchString(tempAlphabet) {
				t.Errorf("alphabet %q has characters outside a-z and 2-9", tempAlphabet)
			}
		}},
		{"at least 80 bits", func(t *testing.T) {
			bits := float64(tempGroups*tempGroupLen) * math.Log2(float64(len(tempAlphabet)))
			if bits < 80 {
				t.Errorf("entropy = %.1f bits, want at least 80", bits)
			}
		}},
		{"rejection limit is unbiased", func(t *testing.T) {
			if tempByteLimit%len(tempAlphabet) != 0 || tempByteLimit > 256 || 256-tempByteLimit >= len(tempAlphabet) {
				t.Errorf("tempByteLimit %d is not the largest multiple of %d not above 256", tempByteLimit, len(tempAlphabet))
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, tt.check)
	}
}

func TestGenerateTemporaryPassword(t *testing.T) {
	const draws = 1000
	passwords := make([]string, draws)
	for i := range passwords {
		pw, err := GenerateTemporaryPassword()
		if err != nil {
			t.Fatalf("GenerateTemporaryPassword: %v", err)
		}
		passwords[i] = pw
	}

	format := regexp.MustCompile(`^[a-hjkmnp-z2-9]{5}(-[a-hjkmnp-z2-9]{5}){3}$`)
	tests := []struct {
		name  string
		check func(t *testing.T)
	}{
		{"format", func(t *testing.T) {
			for _, pw := range passwords {
				if !format.MatchString(pw) {
					t.Fatalf("%q does not look like xxxxx-xxxxx-xxxxx-xxxxx", pw)
				}
			}
		}},
		{"length", func(t *testing.T) {
			for _, pw := range passwords {
				if len(pw) != 23 { // 4 groups of 5 plus 3 separators; the brief demands at least 16
					t.Fatalf("%q has length %d, want 23", pw, len(pw))
				}
			}
		}},
		{"no ambiguous characters", func(t *testing.T) {
			for _, pw := range passwords {
				if strings.ContainsAny(pw, "0o1liI") {
					t.Fatalf("%q contains an ambiguous character", pw)
				}
			}
		}},
		{"unique", func(t *testing.T) {
			seen := make(map[string]bool, draws)
			for _, pw := range passwords {
				if seen[pw] {
					t.Fatalf("%q was drawn twice", pw)
				}
				seen[pw] = true
			}
		}},
		{"uses the whole alphabet", func(t *testing.T) {
			// 20,000 symbols over 31 letters: a missing letter has probability below 1e-270.
			all := strings.Join(passwords, "")
			for _, c := range tempAlphabet {
				if !strings.ContainsRune(all, c) {
					t.Errorf("%q never drawn in %d passwords", c, draws)
				}
			}
		}},
		{"passes policy", func(t *testing.T) {
			for _, pw := range passwords {
				if err := ValidateNewPassword(pw); err != nil {
					t.Fatalf("ValidateNewPassword(%q) = %v", pw, err)
				}
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, tt.check)
	}
}
