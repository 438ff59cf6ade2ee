package agency

import (
	"math"
	"strconv"
	"strings"

	"workrate/field"
	"workrate/locale"
)

// formErrors maps a form field to the localized message shown next to it;
// the key "form" is a message about the whole form.
type formErrors map[string]string

// Any reports whether there is at least one message.
func (e formErrors) Any() bool { return len(e) > 0 }

// passwordError localizes a password policy refusal.
func passwordError(l *locale.Localizer, err error) string {
	if fe := field.As(err); fe != nil {
		return l.FieldMessage(fe)
	}
	return l.T("staff.error.invalid")
}

// parseAmount reads a money amount typed by a person ("95", "95.5",
// "1,250.00", "95,50") into cents; ok is false for anything else.
func parseAmount(s string) (cents int64, ok bool) {
	s = strings.TrimSpace(strings.ReplaceAll(s, " ", ""))
	if s == "" {
		return 0, false
	}
	// The last '.' or ',' followed by one or two digits is the decimal mark;
	// other separators group thousands.
	dec := strings.LastIndexAny(s, ".,")
	whole, frac := s, ""
	if dec >= 0 && len(s)-dec-1 <= 2 {
		whole, frac = s[:dec], s[dec+1:]
	}
	whole = strings.NewReplacer(",", "", ".", "").Replace(whole)
	if whole == "" {
		whole = "0"
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || w < 0 || w > math.MaxInt64/100-1 {
		return 0, false
	}
	f := int64(0)
	if frac != "" {
		n, err := strconv.ParseInt(frac, 10, 64)
		if err != nil || n < 0 {
			return 0, false
		}
		if len(frac) == 1 {
			n *= 10
		}
		f = n
	}
	return w*100 + f, true
}

// formatAmount shows cents as a plain decimal for an input field ("95.50").
func formatAmount(cents int64) string {
	sign := ""
	if cents < 0 {
		sign, cents = "-", -cents
	}
	return sign + strconv.FormatInt(cents/100, 10) + "." + strconv.FormatInt(cents%100/10, 10) + strconv.FormatInt(cents%10, 10)
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }
