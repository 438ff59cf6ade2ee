package mailaddr

import (
	"errors"
	"strings"
	"testing"
)

func TestNormalize(t *testing.T) {
	cases := []struct {
		in, want string
		ok       bool
	}{
		{"  Client@Example.COM ", "client@example.com", true},
		{"owner@localhost", "owner@localhost", true},
		{"a.b+tag@sub.example.org", "a.b+tag@sub.example.org", true},
		{"", "", false},
		{"no-at-sign", "", false},
		{"user@nodot", "", false},
		{"Name <user@example.com>", "", false},
		{"user@example.com, other@example.com", "", false},
		{strings.Repeat("a", 250) + "@example.com", "", false},
	}
	for _, c := range cases {
		got, err := Normalize(c.in)
		if c.ok && (err != nil || got != c.want) {
			t.Errorf("Normalize(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
		if !c.ok && !errors.Is(err, ErrInvalid) {
			t.Errorf("Normalize(%q) = %q, %v; want ErrInvalid", c.in, got, err)
		}
	}
}
