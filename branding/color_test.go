package branding

import (
	"errors"
	"fmt"
	"math"
	"testing"
)

func TestParseColor(t *testing.T) {
	tests := []struct {
		in      string
		want    string
		wantErr bool
	}{
		{in: "#4f46e5", want: "#4f46e5"},
		{in: "#4F46E5", want: "#4f46e5"},
		{in: "  #4F46e5\n", want: "#4f46e5"},
		{in: "#fff", want: "#ffffff"},
		{in: "#AbC", want: "#aabbcc"},
		{in: "#000", want: "#000000"},
		{in: DefaultPrimaryColor, want: DefaultPrimaryColor},
		{in: "", wantErr: true},
		{in: "#", wantErr: true},
		{in: "fff", wantErr: true},
		{in: "4f46e5", wantErr: true},
		{in: "#ff", wantErr: true},
		{in: "#ffff", wantErr: true},
		{in: "#fffff", wantErr: true},
		{in: "#fffffff", wantErr: true},
		{in: "#ggg", wantErr: true},
		{in: "#12345g", wantErr: true},
		{in: "# fff", wantErr: true},
		{in: "#ff ff", wantErr: true},
		{in: "##fff", wantErr: true},
		{in: "red", wantErr: true},
		{in: "rgb(0,0,0)", wantErr: true},
		{in: "#\u00e9a", wantErr: true},
		{in: "\uff03fff", wantErr: true},
		{in: "#fff;background:url(x)", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%q", tt.in), func(t *testing.T) {
			got, err := ParseColor(tt.in)
			if tt.wantErr {
				if !errors.Is(err, ErrColor) {
					t.Fatalf("ParseColor(%q) = %q, %v; want ErrColor", tt.in, got, err)
				}
				if got != "" {
					t.Fatalf("ParseColor(%q) returned %q with an error", tt.in, got)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("ParseColor(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestContrastRatio(t *testing.T) {
	tests := []struct {
		name string
		a, b string
		want float64
	}{
		{name: "white on black", a: "#ffffff", b: "#000000", want: 21},
		{name: "black on white", a: "#000", b: "#fff", want: 21},
		{name: "same colour", a: DefaultPrimaryColor, b: DefaultPrimaryColor, want: 1},
		{name: "AA grey on white", a: "#767676", b: "#ffffff", want: 4.54},
		{name: "mid grey on white", a: "#777777", b: "#ffffff", want: 4.48},
		{name: "default on white", a: DefaultPrimaryColor, b: "#ffffff", want: 6.29},
		{name: "gray-900 on white", a: TextDark, b: "#ffffff", want: 17.74},
		{name: "invalid a", a: "blue", b: "#ffffff", want: 0},
		{name: "invalid b", a: "#ffffff", b: "#12", want: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ContrastRatio(tt.a, tt.b); math.Abs(got-tt.want) > 0.005 {
				t.Fatalf("ContrastRatio(%q, %q) = %.4f, want %.2f", tt.a, tt.b, got, tt.want)
			}
			if got, rev := ContrastRatio(tt.a, tt.b), ContrastRatio(tt.b, tt.a); got != rev {
				t.Fatalf("not symmetric: %v vs %v", got, rev)
			}
		})
	}
}

func TestTextColorOn(t *testing.T) {
	tests := []struct {
		name      string
		bg        string
		want      string
		neitherAA bool // documented edge case: no candidate reaches 4.5:1
	}{
		{name: "default primary", bg: DefaultPrimaryColor, want: TextLight},
		{name: "white", bg: "#ffffff", want: TextDark},
		{name: "black", bg: "#000000", want: TextLight},
		{name: "yellow", bg: "#ffff00", want: TextDark},
		{name: "dark blue", bg: "#1e3a8a", want: TextLight},
		{name: "navy", bg: "#000080", want: TextLight},
		{name: "light grey", bg: "#e5e7eb", want: TextDark},
		{name: "AA grey", bg: "#767676", want: TextLight},
		{name: "mid grey 777", bg: "#777777", want: TextLight, neitherAA: true},
		{name: "mid grey 808080", bg: "#808080", want: TextDark, neitherAA: true},
		{name: "pure red", bg: "#ff0000", want: TextDark, neitherAA: true},
		{name: "green", bg: "#00ff00", want: TextDark},
		{name: "shorthand uppercase", bg: " #FF0 ", want: TextDark},
		{name: "invalid falls back to default", bg: "not a colour", want: TextLight},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := TextColorOn(tt.bg)
			if got != tt.want {
				t.Fatalf("TextColorOn(%q) = %q, want %q", tt.bg, got, tt.want)
			}
			bg := tt.bg
			if _, err := ParseColor(bg); err != nil {
				bg = DefaultPrimaryColor
			}
			light, dark := ContrastRatio(bg, TextLight), ContrastRatio(bg, TextDark)
			if best := max(light, dark); (best < 4.5) != tt.neitherAA {
				t.Fatalf("best contrast %.2f; table says neitherAA=%v", best, tt.neitherAA)
			}
			if r := ContrastRatio(bg, got); r < max(light, dark) {
				t.Fatalf("chose %q at %.2f:1, other candidate is better (light %.2f, dark %.2f)", got, r, light, dark)
			}
			if r := ContrastRatio(bg, got); !tt.neitherAA && r < 4.5 {
				t.Fatalf("contrast %.2f:1 below 4.5", r)
			}
		})
	}
}

func TestTextColorOnSweep(t *testing.T) {
	// Every colour on a 16-step RGB grid, checked against the WCAG rule.
	for r := 0; r < 256; r += 17 {
		t.Run(fmt.Sprintf("r=%02x", r), func(t *testing.T) {
			for g := 0; g < 256; g += 17 {
				for b := 0; b < 256; b += 17 {
					bg := fmt.Sprintf("#%02x%02x%02x", r, g, b)
					got := TextColorOn(bg)
					light, dark := ContrastRatio(bg, TextLight), ContrastRatio(bg, TextDark)
					if r := ContrastRatio(bg, got); r < max(light, dark) || (max(light, dark) >= 4.5 && r < 4.5) {
						t.Fatalf("TextColorOn(%q) = %q at %.2f:1 (light %.2f, dark %.2f)", bg, got, r, light, dark)
					}
				}
			}
		})
	}
}
