package tenant

import (
	"strings"
	"testing"
)

func TestNormalizeHost(t *testing.T) {
	long := strings.Repeat("a", 63)
	tests := []struct {
		in, want string
		bad      bool
	}{
		{in: "acme.localhost", want: "acme.localhost"},
		{in: "acme.localhost:8080", want: "acme.localhost"},
		{in: "ACME.Localhost", want: "acme.localhost"},
		{in: "acme.localhost.", want: "acme.localhost"},
		{in: "Acme.Example.COM.:443", want: "acme.example.com"},
		{in: "bücher.example", want: "xn--bcher-kva.example"},
		{in: "BÜCHER.example:8443", want: "xn--bcher-kva.example"},
		{in: "[::1]:8080", want: "[::1]"},
		{in: "[::1]", want: "[::1]"},
		{in: "[2001:DB8::1]", want: "[2001:db8::1]"},
		{in: "127.0.0.1:8080", want: "127.0.0.1"},
		{in: long + ".example", want: long + ".example"},
		{in: "", bad: true},
		{in: ":8080", bad: true},
		{in: ".", bad: true},
		{in: "a..b", bad: true},
		{in: long + "a.example", bad: true},                       // label over 63
		{in: strings.Repeat("abcdefghi.", 26) + "com", bad: true}, // name over 253
		{in: "acme.localhost:99999", bad: true},
		{in: "acme.localhost:port", bad: true},
		{in: "under_score.example", bad: true},
		{in: "-lead.example", bad: true},
		{in: "trail-.example", bad: true},
		{in: "a b.example", bad: true},
		{in: "evil.com/path", bad: true},
		{in: "evil.com@good.com", bad: true},
		{in: "[::1", bad: true},
		{in: "[]", bad: true},
		{in: "[::1]x", bad: true},
		{in: "[zz::1]", bad: true},
		{in: "a:b:c", bad: true},
		{in: "*.example.com", bad: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := NormalizeHost(tt.in)
			if tt.bad {
				if err == nil {
					t.Fatalf("NormalizeHost(%q) = %q, want an error", tt.in, got)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("NormalizeHost(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestNormalizeHostDoesNotAllocateForNormalNames(t *testing.T) {
	allocs := testing.AllocsPerRun(100, func() {
		if _, err := NormalizeHost("acme.localhost:8080"); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Fatalf("allocs = %v, want 0", allocs)
	}
}

func FuzzNormalizeHost(f *testing.F) {
	for _, s := range []string{"acme.localhost:8080", "bücher.example", "[::1]:80", "", "a..b", "xn--bcher-kva.example."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got, err := NormalizeHost(in)
		if err != nil {
			return
		}
		if strings.HasPrefix(got, "[") {
			return
		}
		if !validName(got) {
			t.Fatalf("NormalizeHost(%q) = %q, not a valid name", in, got)
		}
		again, err := NormalizeHost(got)
		if err != nil || again != got {
			t.Fatalf("not idempotent: %q -> %q -> %q, %v", in, got, again, err)
		}
	})
}
