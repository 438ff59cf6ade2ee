package auth

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"workrate/field"
)

// cheapParams keeps tests fast; never use them in production.
var cheapParams = Params{Memory: 64, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16}

// Reference salt and hash from the phc-winner-argon2 test vectors ("password", "somesalt", m=256, t=2, p=1).
const (
	refSalt = "c29tZXNhbHQ"
	refKey  = "nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4"
	refHash = "$argon2id$v=19$m=256,t=2,p=1$" + refSalt + "$" + refKey
)

func TestDefaultParams(t *testing.T) {
	want := Params{Memory: 19456, Time: 2, Threads: 1, KeyLen: 32, SaltLen: 16}
	if got := DefaultParams(); got != want {
		t.Fatalf("DefaultParams() = %+v, want %+v", got, want)
	}
}

func TestHashPasswordFormat(t *testing.T) {
	tests := []struct {
		name   string
		params Params
		prefix string
	}{
		{"default", DefaultParams(), "$argon2id$v=19$m=19456,t=2,p=1$"},
		{"cheap", cheapParams, "$argon2id$v=19$m=64,t=1,p=1$"},
		{"two threads short key", Params{Memory: 128, Time: 3, Threads: 2, KeyLen: 16, SaltLen: 8}, "$argon2id$v=19$m=128,t=3,p=2$"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h1, err := HashPassword("correct horse battery staple", tt.params)
			if err != nil {
				t.Fatalf("HashPassword: %v", err)
			}
			if !strings.HasPrefix(h1, tt.prefix) {
				t.Fatalf("hash %q does not start with %q", h1, tt.prefix)
			}
			parts := strings.Split(h1, "$")
			if len(parts) != 6 {
				t.Fatalf("hash %q has %d fields, want 6", h1, len(parts))
			}
			salt, err := base64.RawStdEncoding.DecodeString(parts[4])
			if err != nil || uint32(len(salt)) != tt.params.SaltLen {
				t.Errorf("salt %q: len %d, err %v; want len %d", parts[4], len(salt), err, tt.params.SaltLen)
			}
			key, err := base64.RawStdEncoding.DecodeString(parts[5])
			if err != nil || uint32(len(key)) != tt.params.KeyLen {
				t.Errorf("key %q: len %d, err %v; want len %d", parts[5], len(key), err, tt.params.KeyLen)
			}
			h2, err := HashPassword("correct horse battery staple", tt.params)
			if err != nil {
				t.Fatalf("second HashPassword: %v", err)
			}
			if h1 == h2 {
				t.Errorf("two hashes of the same password are identical (%q): salt is not random", h1)
			}
		})
	}
}

func TestHashPasswordRoundTrip(t *testing.T) {
	tests := []struct {
		name     string
		params   Params
		password string
		wrong    []string
	}{
		{"default params", DefaultParams(), "correct horse battery staple", []string{"correct horse battery stapl", "Correct horse battery staple"}},
		{"empty", cheapParams, "", []string{" ", "\x00"}},
		{"unicode", cheapParams, "pässwörd-日本語-🔑", []string{"passwörd-日本語-🔑", "pässwörd-日本語"}},
		{"max length", cheapParams, strings.Repeat("a", MaxPasswordBytes), []string{strings.Repeat("a", MaxPasswordBytes-1), strings.Repeat("a", MaxPasswordBytes-1) + "b"}},
		{"two threads", Params{Memory: 128, Time: 2, Threads: 2, KeyLen: 32, SaltLen: 16}, "hunter2hunter2", []string{"hunter2hunter3"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			encoded, err := HashPassword(tt.password, tt.params)
			if err != nil {
				t.Fatalf("HashPassword: %v", err)
			}
			ok, err := VerifyPassword(encoded, tt.password)
			if err != nil || !ok {
				t.Fatalf("VerifyPassword(right password) = %v, %v; want true, nil", ok, err)
			}
			for _, w := range tt.wrong {
				ok, err := VerifyPassword(encoded, w)
				if err != nil || ok {
					t.Errorf("VerifyPassword(%q) = %v, %v; want false, nil", w, ok, err)
				}
			}
		})
	}
}

// TestVerifyPasswordReference checks interoperability with the reference implementation.
func TestVerifyPasswordReference(t *testing.T) {
	tests := []struct {
		name     string
		encoded  string
		password string
		want     bool
	}{
		{"m=256 p=1", refHash, "password", true},
		{"m=256 p=2", "$argon2id$v=19$m=256,t=2,p=2$c29tZXNhbHQ$bQk8UB/VmZZF4Oo79iDXuL5/0ttZwg2f/5U52iv1cDc", "password", true},
		{"wrong case", refHash, "Password", false},
		{"wrong password", refHash, "differentpassword", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, err := VerifyPassword(tt.encoded, tt.password)
			if err != nil || ok != tt.want {
				t.Fatalf("VerifyPassword = %v, %v; want %v, nil", ok, err, tt.want)
			}
		})
	}
}

func TestVerifyPasswordTampered(t *testing.T) {
	tests := []struct {
		name    string
		encoded string
	}{
		{"hash first byte changed", strings.Replace(refHash, "$nf65", "$mf65", 1)},
		{"hash last bytes changed", strings.Replace(refHash, "Gi/4", "Gj/4", 1)},
		{"salt changed", strings.Replace(refHash, refSalt, "ZGlmZnNhbHQ", 1)},
		{"memory changed", strings.Replace(refHash, "m=256", "m=512", 1)},
		{"time changed", strings.Replace(refHash, "t=2", "t=3", 1)},
		{"threads changed", strings.Replace(refHash, "p=1", "p=2", 1)},
		{"hash truncated", refHash[:len(refHash)-11]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.encoded == refHash {
				t.Fatal("test case did not tamper with the hash")
			}
			ok, err := VerifyPassword(tt.encoded, "password")
			if err != nil || ok {
				t.Fatalf("VerifyPassword(%q) = %v, %v; want false, nil", tt.encoded, ok, err)
			}
		})
	}
}

func TestVerifyPasswordMalformed(t *testing.T) {
	const tail = "$" + refSalt + "$" + refKey
	longKey := base64.RawStdEncoding.EncodeToString(make([]byte, maxKeyLen+1))
	tests := []struct {
		name    string
		encoded string
	}{
		{"empty", ""},
		{"garbage", "not a hash"},
		{"no leading dollar", "argon2id$v=19$m=256,t=2,p=1" + tail},
		{"missing hash", "$argon2id$v=19$m=256,t=2,p=1$" + refSalt},
		{"trailing dollar", refHash + "$"},
		{"extra field", refHash + "$AAAA"},
		{"argon2i", "$argon2i$v=19$m=256,t=2,p=1" + tail},
		{"argon2d", "$argon2d$v=19$m=256,t=2,p=1" + tail},
		{"uppercase algorithm", "$ARGON2ID$v=19$m=256,t=2,p=1" + tail},
		{"bcrypt", "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"},
		{"missing version", "$argon2id$m=256,t=2,p=1" + tail},
		{"version 16", "$argon2id$v=16$m=256,t=2,p=1" + tail},
		{"version leading zero", "$argon2id$v=019$m=256,t=2,p=1" + tail},
		{"params reordered", "$argon2id$v=19$t=2,m=256,p=1" + tail},
		{"param missing", "$argon2id$v=19$m=256,t=2" + tail},
		{"param extra", "$argon2id$v=19$m=256,t=2,p=1,k=1" + tail},
		{"param empty", "$argon2id$v=19$m=,t=2,p=1" + tail},
		{"param not a number", "$argon2id$v=19$m=abc,t=2,p=1" + tail},
		{"param negative", "$argon2id$v=19$m=-256,t=2,p=1" + tail},
		{"param plus sign", "$argon2id$v=19$m=+256,t=2,p=1" + tail},
		{"param leading zero", "$argon2id$v=19$m=0256,t=2,p=1" + tail},
		{"param space", "$argon2id$v=19$m=256, t=2,p=1" + tail},
		{"memory above 1 GiB", "$argon2id$v=19$m=1048577,t=2,p=1" + tail},
		{"memory overflows uint32", "$argon2id$v=19$m=4294967296,t=2,p=1" + tail},
		{"memory below 8 per thread", "$argon2id$v=19$m=15,t=2,p=2" + tail},
		{"time zero", "$argon2id$v=19$m=256,t=0,p=1" + tail},
		{"time above 10", "$argon2id$v=19$m=256,t=11,p=1" + tail},
		{"threads zero", "$argon2id$v=19$m=256,t=2,p=0" + tail},
		{"threads overflow uint8", "$argon2id$v=19$m=4096,t=2,p=256" + tail},
		{"salt invalid base64", "$argon2id$v=19$m=256,t=2,p=1$c29t!ZXNhbHQ$" + refKey},
		{"salt padded", "$argon2id$v=19$m=256,t=2,p=1$" + refSalt + "=$" + refKey},
		{"salt non-canonical", "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHR$" + refKey},
		{"salt too short", "$argon2id$v=19$m=256,t=2,p=1$c29tZQ$" + refKey},
		{"salt empty", "$argon2id$v=19$m=256,t=2,p=1$$" + refKey},
		{"salt too long", "$argon2id$v=19$m=256,t=2,p=1$" + strings.Repeat("A", 100000) + "$" + refKey},
		{"hash invalid base64", "$argon2id$v=19$m=256,t=2,p=1$" + refSalt + "$nf65EOgLrQMR-uIPnA4rEsF5h7TKyQwu9U1bMCHGi_4"},
		{"hash too short", "$argon2id$v=19$m=256,t=2,p=1$" + refSalt + "$" + refSalt},
		{"hash empty", "$argon2id$v=19$m=256,t=2,p=1$" + refSalt + "$"},
		{"hash too long", "$argon2id$v=19$m=256,t=2,p=1$" + refSalt + "$" + longKey},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, err := VerifyPassword(tt.encoded, "password")
			if !errors.Is(err, ErrInvalidHash) {
				t.Fatalf("VerifyPassword(%.80q) error = %v, want ErrInvalidHash", tt.encoded, err)
			}
			if ok {
				t.Fatal("VerifyPassword returned true together with an error")
			}
		})
	}
}

func TestHashPasswordInvalidParams(t *testing.T) {
	tests := []struct {
		name   string
		params Params
	}{
		{"zero value", Params{}},
		{"zero threads", Params{Memory: 64, Time: 1, Threads: 0, KeyLen: 32, SaltLen: 16}},
		{"zero time", Params{Memory: 64, Time: 0, Threads: 1, KeyLen: 32, SaltLen: 16}},
		{"time above 10", Params{Memory: 64, Time: 11, Threads: 1, KeyLen: 32, SaltLen: 16}},
		{"memory above 1 GiB", Params{Memory: 1024*1024 + 1, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16}},
		{"memory below 8 per thread", Params{Memory: 31, Time: 1, Threads: 4, KeyLen: 32, SaltLen: 16}},
		{"key too short", Params{Memory: 64, Time: 1, Threads: 1, KeyLen: 8, SaltLen: 16}},
		{"key too long", Params{Memory: 64, Time: 1, Threads: 1, KeyLen: 129, SaltLen: 16}},
		{"salt too short", Params{Memory: 64, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 4}},
		{"salt too long", Params{Memory: 64, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 129}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := HashPassword("correct horse battery staple", tt.params)
			if err == nil {
				t.Fatalf("HashPassword(%+v) = %q, nil; want an error", tt.params, h)
			}
		})
	}
}

func TestNeedsRehash(t *testing.T) {
	encoded, err := HashPassword("correct horse battery staple", cheapParams)
	if err != nil {
		t.Fatalf("HashPassword: %v", err)
	}
	with := func(change func(*Params)) Params {
		p := cheapParams
		change(&p)
		return p
	}
	tests := []struct {
		name    string
		encoded string
		params  Params
		want    bool
	}{
		{"same params", encoded, cheapParams, false},
		{"reference vector", refHash, Params{Memory: 256, Time: 2, Threads: 1, KeyLen: 32, SaltLen: 8}, false},
		{"memory raised", encoded, with(func(p *Params) { p.Memory = 128 }), true},
		{"time raised", encoded, with(func(p *Params) { p.Time = 2 }), true},
		{"threads changed", encoded, with(func(p *Params) { p.Threads = 2 }), true},
		{"key length changed", encoded, with(func(p *Params) { p.KeyLen = 64 }), true},
		{"salt length changed", encoded, with(func(p *Params) { p.SaltLen = 32 }), true},
		{"default params", encoded, DefaultParams(), true},
		{"malformed", "$argon2id$garbage", cheapParams, true},
		{"empty", "", cheapParams, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NeedsRehash(tt.encoded, tt.params); got != tt.want {
				t.Fatalf("NeedsRehash(%q, %+v) = %v, want %v", tt.encoded, tt.params, got, tt.want)
			}
		})
	}
}

func TestDummyHash(t *testing.T) {
	if _, err := parsePHC(dummyHash); err != nil {
		t.Fatalf("dummyHash does not parse: %v", err)
	}
	if NeedsRehash(dummyHash, DefaultParams()) {
		t.Fatal("dummyHash was not made with DefaultParams; regenerate it so VerifyDummy costs as much as a real verification")
	}
	ok, err := VerifyPassword(dummyHash, "")
	if err != nil || ok {
		t.Fatalf("VerifyPassword(dummyHash, \"\") = %v, %v; want false, nil", ok, err)
	}
	VerifyDummy("correct horse battery staple")
}

func TestCheckLength(t *testing.T) {
	tests := []struct {
		name     string
		password string
		wantErr  bool
	}{
		{"empty", "", false},
		{"1024 bytes", strings.Repeat("a", 1024), false},
		{"1025 bytes", strings.Repeat("a", 1025), true},
		{"512 two-byte runes", strings.Repeat("é", 512), false},
		{"512 two-byte runes plus one byte", strings.Repeat("é", 512) + "a", true},
		{"1 MiB", strings.Repeat("a", 1<<20), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckLength(tt.password)
			if tt.wantErr {
				if !errors.Is(err, ErrPasswordTooLong) {
					t.Fatalf("CheckLength(%d bytes) = %v, want ErrPasswordTooLong", len(tt.password), err)
				}
				if _, err := HashPassword(tt.password, cheapParams); !errors.Is(err, ErrPasswordTooLong) {
					t.Errorf("HashPassword(%d bytes) error = %v, want ErrPasswordTooLong", len(tt.password), err)
				}
				if ok, err := VerifyPassword(refHash, tt.password); ok || !errors.Is(err, ErrPasswordTooLong) {
					t.Errorf("VerifyPassword(%d bytes) = %v, %v; want false, ErrPasswordTooLong", len(tt.password), ok, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("CheckLength(%d bytes) = %v, want nil", len(tt.password), err)
			}
		})
	}
}

func TestValidateNewPassword(t *testing.T) {
	tests := []struct {
		name     string
		password string
		want     error // nil when the password is accepted
		code     string
	}{
		{"empty", "", ErrPasswordTooShort, field.PasswordTooShort},
		{"9 characters", "xk4-tq9zp", ErrPasswordTooShort, field.PasswordTooShort},
		{"9 runes in 18 bytes", strings.Repeat("é", 9), ErrPasswordTooShort, field.PasswordTooShort},
		{"10 runes", strings.Repeat("é", 9) + "x", nil, ""},
		{"10 characters", "xk4-tq9zpw", nil, ""},
		{"1024 bytes", strings.Repeat("ab", 512), nil, ""},
		{"1025 bytes", strings.Repeat("a", 1025), ErrPasswordTooLong, field.PasswordTooLong},
		{"common", "password123", ErrPasswordCommon, field.PasswordCommon},
		{"common mixed case", "PassWord123", ErrPasswordCommon, field.PasswordCommon},
		{"common upper case", "QWERTYUIOP", ErrPasswordCommon, field.PasswordCommon},
		{"common digits", "1234567890", ErrPasswordCommon, field.PasswordCommon},
		{"common iloveyou123", "ILoveYou123", ErrPasswordCommon, field.PasswordCommon},
		{"common welcome123", "Welcome123", ErrPasswordCommon, field.PasswordCommon},
		{"common with padding is distinct", " password123 ", nil, ""},
		{"good passphrase", "correct horse battery staple", nil, ""},
		{"good unicode", "пароль-надёжный-42", nil, ""},
	}
	sentinels := []error{ErrPasswordTooShort, ErrPasswordTooLong, ErrPasswordCommon}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidateNewPassword(tt.password)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("ValidateNewPassword(%q) = %v, want nil", tt.password, err)
				}
				return
			}
			for _, s := range sentinels {
				if got, want := errors.Is(err, s), s == tt.want; got != want {
					t.Errorf("errors.Is(%v, %v) = %v, want %v", err, s, got, want)
				}
			}
			var pe *field.Error
			if !errors.As(err, &pe) {
				t.Fatalf("error %v (%T) is not a *field.Error", err, err)
			}
			if pe.Code != tt.code {
				t.Errorf("Code = %q, want %q", pe.Code, tt.code)
			}
			if tt.code == field.PasswordTooShort && pe.Limit != MinPasswordLength || pe.Field != "password" {
				t.Errorf("field %q, limit %d; want password, %d", pe.Field, pe.Limit, MinPasswordLength)
			}
			if pe == tt.want {
				t.Error("ValidateNewPassword returned the shared sentinel itself; callers could mutate it")
			}
		})
	}
}

func TestCommonPasswordList(t *testing.T) {
	seen := make(map[string]bool)
	for line := range strings.Lines(commonPasswordList) {
		w := strings.TrimSuffix(line, "\n")
		switch {
		case w == "":
			t.Error("blank line in common_passwords.txt")
		case w != strings.TrimSpace(w):
			t.Errorf("entry %q has surrounding whitespace", w)
		case w != strings.ToLower(w):
			t.Errorf("entry %q is not lowercase", w)
		case seen[w]:
			t.Errorf("entry %q is duplicated", w)
		}
		seen[w] = true
	}
	if len(seen) < 300 {
		t.Errorf("common list has %d entries, want at least 300", len(seen))
	}
	if got := len(commonPasswords()); got != len(seen) {
		t.Errorf("set has %d entries, file has %d", got, len(seen))
	}

	tests := []string{"123456", "password", "qwerty123", "iloveyou", "password123", "1234567890", "qwertyuiop", "iloveyou123", "welcome123"}
	for _, w := range tests {
		t.Run(w, func(t *testing.T) {
			if !isCommonPassword(w) {
				t.Errorf("%q is missing from the common list", w)
			}
			if up := strings.ToUpper(w); !isCommonPassword(up) {
				t.Errorf("%q is not matched case-insensitively", up)
			}
		})
	}

	long := 0
	for w := range seen {
		if utf8.RuneCountInString(w) >= MinPasswordLength {
			long++
		}
	}
	if long < 50 {
		t.Errorf("only %d entries are at least %d characters; shorter ones are already refused as too short", long, MinPasswordLength)
	}
}

func BenchmarkHashPassword(b *testing.B) {
	p := DefaultParams()
	for b.Loop() {
		if _, err := HashPassword("correct horse battery staple", p); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerifyPassword(b *testing.B) {
	encoded, err := HashPassword("correct horse battery staple", DefaultParams())
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if ok, err := VerifyPassword(encoded, "correct horse battery staple"); !ok || err != nil {
			b.Fatalf("VerifyPassword = %v, %v", ok, err)
		}
	}
}
