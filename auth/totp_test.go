package auth

import (
	"bytes"
	"net/url"
	"testing"
	"time"
)

// rfcSecret is the SHA-1 key of the test vectors in RFC 4226 and RFC 6238.
var rfcSecret = []byte("12345678901234567890")

func TestHOTPMatchesRFC4226Vectors(t *testing.T) {
	want := []string{"755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"}
	for counter, code := range want {
		if got := hotp(rfcSecret, uint64(counter), 6); got != code {
			t.Errorf("HOTP counter %d = %s, want %s", counter, got, code)
		}
	}
}

func TestTOTPMatchesRFC6238Vectors(t *testing.T) {
	// RFC 6238 appendix B, SHA-1 rows: 8-digit codes; a 6-digit code is the
	// same number modulo 10^6, so its last six digits.
	tests := []struct {
		unix int64
		code string
	}{
		{59, "94287082"},
		{1111111109, "07081804"},
		{1111111111, "14050471"},
		{1234567890, "89005924"},
		{2000000000, "69279037"},
		{20000000000, "65353130"},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			at := time.Unix(tt.unix, 0)
			if got := hotp(rfcSecret, uint64(TOTPStep(at)), 8); got != tt.code {
				t.Errorf("8 digits at %d = %s, want %s", tt.unix, got, tt.code)
			}
			if got := TOTPCode(rfcSecret, at); got != tt.code[2:] {
				t.Errorf("TOTPCode at %d = %s, want %s", tt.unix, got, tt.code[2:])
			}
		})
	}
}

func TestGenerateTOTPSecret(t *testing.T) {
	a, err := GenerateTOTPSecret()
	if err != nil {
		t.Fatal(err)
	}
	b, err := GenerateTOTPSecret()
	if err != nil {
		t.Fatal(err)
	}
	if len(a) != 20 || len(b) != 20 {
		t.Fatalf("secret sizes %d, %d, want 20", len(a), len(b))
	}
	if bytes.Equal(a, b) {
		t.Fatal("two secrets are equal")
	}
}

func TestVerifyTOTP(t *testing.T) {
	now := time.Unix(1111111111, 0) // step 37037037
	step := TOTPStep(now)
	code := TOTPCode(rfcSecret, now)
	prev := TOTPCode(rfcSecret, now.Add(-TOTPPeriod*time.Second))
	next := TOTPCode(rfcSecret, now.Add(TOTPPeriod*time.Second))
	old := TOTPCode(rfcSecret, now.Add(-2*TOTPPeriod*time.Second))
	later := TOTPCode(rfcSecret, now.Add(2*TOTPPeriod*time.Second))
	tests := []struct {
		name     string
		secret   []byte
		code     string
		lastStep int64
		wantStep int64
		wantOK   bool
	}{
		{"current step", rfcSecret, code, 0, step, true},
		{"previous step (drift)", rfcSecret, prev, 0, step - 1, true},
		{"next step (drift)", rfcSecret, next, 0, step + 1, true},
		{"two steps old", rfcSecret, old, 0, 0, false},
		{"two steps ahead", rfcSecret, later, 0, 0, false},
		{"spaces trimmed", rfcSecret, " " + code[:3] + " " + code[3:] + "\t", 0, step, true},
		{"replay of the same step", rfcSecret, code, step, 0, false},
		{"older than the last step", rfcSecret, prev, step - 1, 0, false},
		{"newer than the last step", rfcSecret, code, step - 1, step, true},
		{"wrong code", rfcSecret, "000000", 0, 0, false},
		{"non-digits", rfcSecret, "05047a", 0, 0, false},
		{"signed number", rfcSecret, "+50471", 0, 0, false},
		{"too short", rfcSecret, code[:5], 0, 0, false},
		{"too long", rfcSecret, code + "1", 0, 0, false},
		{"non-ASCII digits", rfcSecret, "٠٥٠٤٧١", 0, 0, false},
		{"empty", rfcSecret, "", 0, 0, false},
		{"no secret", nil, code, 0, 0, false},
		{"other secret", []byte("abcdefghijabcdefghij"), code, 0, 0, false},
	}
	if code != "050471" {
		t.Fatalf("fixture: code %s, want 050471", code)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gotStep, ok := VerifyTOTP(tt.secret, tt.code, now, tt.lastStep)
			if ok != tt.wantOK || gotStep != tt.wantStep {
				t.Fatalf("VerifyTOTP(%q, last %d) = (%d, %v), want (%d, %v)", tt.code, tt.lastStep, gotStep, ok, tt.wantStep, tt.wantOK)
			}
		})
	}
}

func TestTOTPURI(t *testing.T) {
	secret := []byte("12345678901234567890")
	got := TOTPURI("Acme & Sons: Design", "jane+2fa@example.com", secret)
	want := "otpauth://totp/Acme%20%26%20Sons%3A%20Design:jane%2B2fa%40example.com" +
		"?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Acme%20%26%20Sons%3A%20Design" +
		"&algorithm=SHA1&digits=6&period=30"
	if got != want {
		t.Fatalf("TOTPURI =\n %s\nwant\n %s", got, want)
	}
	u, err := url.Parse(got)
	if err != nil {
		t.Fatal(err)
	}
	if u.Scheme != "otpauth" || u.Host != "totp" || u.Path != "/Acme & Sons: Design:jane+2fa@example.com" {
		t.Errorf("parsed scheme %q host %q path %q", u.Scheme, u.Host, u.Path)
	}
	q := u.Query()
	if q.Get("issuer") != "Acme & Sons: Design" || q.Get("secret") != "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ" {
		t.Errorf("parsed query %v", q)
	}
	// A secret whose length is not a multiple of 5 bytes gets no '=' padding.
	if s := EncodeTOTPSecret([]byte("abc")); s != "MFRGG" {
		t.Errorf("EncodeTOTPSecret(abc) = %q, want MFRGG", s)
	}
}
