package workspace

import (
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/currency"

	"workrate/field"
	"workrate/mailaddr"
)

// Length limits, in characters (runes).
const (
	maxTitle         = 200    // task titles, ticket subjects
	maxBody          = 20_000 // descriptions, messages, ticket bodies, comments, notes
	maxName          = 120    // workspace names, author names
	maxInvoiceNumber = 40
	maxLineText      = 500 // an invoice line's description
	maxLines         = 200
	maxSummary       = 120 // an activity summary
)

// Bounds that keep invoice arithmetic far from int64 overflow:
// 1e9 milli-units × 1e9 cents = 1e18 per line, × 200 lines < 9.2e18.
const (
	maxQuantityMilli  = 1_000_000_000 // a quantity of at most 1,000,000
	maxUnitPriceCents = 1_000_000_000 // a unit price of at most 10,000,000.00
)

// clean makes caller text safe to store on both databases: valid UTF-8, no
// NUL bytes (PostgreSQL refuses them), no surrounding spaces.
func clean(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\x00", "")
	return strings.TrimSpace(s)
}

// text cleans s and checks it against required and max.
func text(name, s string, required bool, max int) (string, error) {
	s = clean(s)
	if required && s == "" {
		return "", field.New(name, field.Required)
	}
	if utf8.RuneCountInString(s) > max {
		return "", field.Limited(name, field.TooLong, int64(max))
	}
	return s, nil
}

// line cleans a one-line text (titles, subjects, names): line breaks and
// tabs become spaces.
func line(name, s string, required bool, max int) (string, error) {
	s = strings.Join(strings.Fields(strings.ToValidUTF8(s, "\uFFFD")), " ")
	return text(name, s, required, max)
}

// date checks a YYYY-MM-DD date that exists in the calendar; "" is allowed
// unless required.
func date(name, s string, required bool) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		if required {
			return "", field.New(name, field.Required)
		}
		return "", nil
	}
	if !ValidDate(s) {
		return "", field.New(name, field.InvalidDate)
	}
	return s, nil
}

// ValidDate reports whether s is a real date written YYYY-MM-DD.
func ValidDate(s string) bool {
	if len(s) != 10 {
		return false
	}
	d, err := time.Parse(time.DateOnly, s)
	return err == nil && d.Format(time.DateOnly) == s
}

// Today is the current UTC date, YYYY-MM-DD.
func Today() string { return time.Now().UTC().Format(time.DateOnly) }

var currencyRE = regexp.MustCompile(`^[A-Z]{3}$`)

// currencyCode uppercases and checks an ISO 4217 code.
func currencyCode(name, s string) (string, error) {
	s = strings.ToUpper(strings.TrimSpace(s))
	if s == "" {
		return "", field.New(name, field.Required)
	}
	if !currencyRE.MatchString(s) {
		return "", field.New(name, field.InvalidCurrency)
	}
	if _, err := currency.ParseISO(s); err != nil {
		return "", field.New(name, field.InvalidCurrency)
	}
	return s, nil
}

// email normalizes an optional address with mailaddr.Normalize.
func email(name, s string) (string, error) {
	if strings.TrimSpace(s) == "" {
		return "", nil
	}
	e, err := mailaddr.Normalize(s)
	if err != nil {
		return "", field.New(name, field.InvalidEmail)
	}
	return e, nil
}

// oneOf checks s against a set of allowed values.
func oneOf(name, code, s string, allowed []string) (string, error) {
	s = strings.TrimSpace(s)
	for _, a := range allowed {
		if s == a {
			return s, nil
		}
	}
	return "", field.New(name, code)
}

// truncate cuts s to at most n runes, ending with "…" when cut.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

// summarize makes the short one-line plain text of an activity.
func summarize(s string) string {
	return truncate(strings.Join(strings.Fields(strings.ToValidUTF8(strings.ReplaceAll(s, "\x00", ""), "")), " "), maxSummary)
}
