package branding

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// DefaultPrimaryColor is the primary brand colour used when a tenant sets none.
const DefaultPrimaryColor = "#4f46e5"

// Text colours chosen by TextColorOn.
const (
	// TextLight is the light text colour (white).
	TextLight = "#ffffff"
	// TextDark is the dark text colour (Tailwind gray-900).
	TextDark = "#111827"
)

// ParseColor normalizes "#rgb" or "#rrggbb" (trimmed, any case) to lowercase "#rrggbb".
func ParseColor(s string) (string, error) {
	hex, ok := strings.CutPrefix(strings.TrimSpace(s), "#")
	if !ok || (len(hex) != 3 && len(hex) != 6) {
		return "", fmt.Errorf("branding: parse color: %w", ErrColor)
	}
	out := make([]byte, 0, 7)
	out = append(out, '#')
	for i := 0; i < len(hex); i++ {
		c := hex[i]
		switch {
		case c >= '0' && c <= '9', c >= 'a' && c <= 'f':
		case c >= 'A' && c <= 'F':
			c += 'a' - 'A'
		default:
			return "", fmt.Errorf("branding: parse color: %w", ErrColor)
		}
		out = append(out, c)
		if len(hex) == 3 {
			out = append(out, c)
		}
	}
	return string(out), nil
}

// ContrastRatio returns the WCAG 2.x contrast ratio (1 to 21) of two colours,
// or 0 if either is not a valid ParseColor input.
func ContrastRatio(a, b string) float64 {
	la, err := luminance(a)
	if err != nil {
		return 0
	}
	lb, err := luminance(b)
	if err != nil {
		return 0
	}
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// TextColorOn returns TextLight or TextDark, whichever contrasts more with bg.
//
// The result reaches the WCAG AA 4.5:1 ratio whenever either candidate can.
// For mid-tones with a relative luminance of roughly 0.18 to 0.22 (mid greys
// such as #777777, or saturated colours of similar luminance) neither does;
// the better of the two is still returned (at worst about 4.2:1). Ties go to
// TextDark. An invalid bg is treated as DefaultPrimaryColor.
func TextColorOn(bg string) string {
	if _, err := ParseColor(bg); err != nil {
		bg = DefaultPrimaryColor
	}
	if ContrastRatio(bg, TextLight) > ContrastRatio(bg, TextDark) {
		return TextLight
	}
	return TextDark
}

// luminance returns the WCAG relative luminance of a colour.
func luminance(s string) (float64, error) {
	c, err := ParseColor(s)
	if err != nil {
		return 0, err
	}
	v, err := strconv.ParseUint(c[1:], 16, 32)
	if err != nil {
		return 0, fmt.Errorf("branding: parse color %q: %w", c, err)
	}
	r, g, b := uint8(v>>16), uint8(v>>8), uint8(v)
	return 0.2126*linear(r) + 0.7152*linear(g) + 0.0722*linear(b), nil
}

// linear converts an 8-bit sRGB channel to linear light. The 0.04045 threshold
// (sRGB spec) and WCAG's 0.03928 give identical results for 8-bit values.
func linear(c uint8) float64 {
	v := float64(c) / 255
	if v <= 0.04045 {
		return v / 12.92
	}
	return math.Pow((v+0.055)/1.055, 2.4)
}
