package workspace

import (
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/currency"

	"workrate/mailaddr"
)

// FieldError says which input field is wrong and why. Code is a locale
// message id; Limit carries the bound for codes that have one (too_long,
// too_large, too_many_lines), so that a message can name it.
//
// The codes used by this package:
//
//	validation.required          the field is empty
//	validation.too_long          more than Limit characters
//	validation.invalid_status    not one of the statuses of that kind of row
//	validation.invalid_priority  not one of low, normal, high, urgent
//	validation.invalid_date      not a real date written YYYY-MM-DD
//	validation.due_before_issue  an invoice due before it is issued
//	validation.invalid_currency  not a 3-letter ISO 4217 code
//	validation.invalid_quantity  a quantity that is not > 0, or above Limit
//	validation.too_many_decimals a quantity with more than 3 decimals
//	validation.negative          a unit price below zero
//	validation.too_large         a unit price above Limit cents
//	validation.no_lines          an invoice without any line
//	validation.too_many_lines    an invoice with more than Limit lines
//	validation.invalid_email     not a plain email address (mailaddr.Normalize)
//	validation.invalid_assignee  not a staff member of the agency
//	validation.invalid_cursor    a pagination cursor this store did not make
//
// Fields are named as in the JSON API (title, due_on, lines[2].quantity …).
type FieldError struct {
	Field string
	Code  string
	Limit int64
}

// Error describes the problem for logs; users see the localized Code.
func (e *FieldError) Error() string {
	if e.Limit != 0 {
		return fmt.Sprintf("workspace: field %s: %s (limit %d)", e.Field, e.Code, e.Limit)
	}
	return fmt.Sprintf("workspace: field %s: %s", e.Field, e.Code)
}

// Validation codes (locale message ids).
const (
	CodeRequired        = "validation.required"
	CodeTooLong         = "validation.too_long"
	CodeInvalidStatus   = "validation.invalid_status"
	CodeInvalidPriority = "validation.invalid_priority"
	CodeInvalidDate     = "validation.invalid_date"
	CodeDueBeforeIssue  = "validation.due_before_issue"
	CodeInvalidCurrency = "validation.invalid_currency"
	CodeInvalidQuantity = "validation.invalid_quantity"
	CodeTooManyDecimals = "validation.too_many_decimals"
	CodeNegative        = "validation.negative"
	CodeTooLarge        = "validation.too_large"
	CodeNoLines         = "validation.no_lines"
	CodeTooManyLines    = "validation.too_many_lines"
	CodeInvalidEmail    = "validation.invalid_email"
	CodeInvalidAssignee = "validation.invalid_assignee"
	CodeInvalidCursor   = "validation.invalid_cursor"
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

func fieldErr(field, code string) *FieldError { return &FieldError{Field: field, Code: code} }

// clean makes caller text safe to store on both databases: valid UTF-8, no
// NUL bytes (PostgreSQL refuses them), no surrounding spaces.
func clean(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\x00", "")
	return strings.TrimSpace(s)
}

// text cleans s and checks it against required and max.
func text(field, s string, required bool, max int) (string, error) {
	s = clean(s)
	if required && s == "" {
		return "", fieldErr(field, CodeRequired)
	}
	if utf8.RuneCountInString(s) > max {
		return "", &FieldError{Field: field, Code: CodeTooLong, Limit: int64(max)}
	}
	return s, nil
}

// line cleans a one-line text (titles, subjects, names): line breaks and
// tabs become spaces.
func line(field, s string, required bool, max int) (string, error) {
	s = strings.Join(strings.Fields(strings.ToValidUTF8(s, "\uFFFD")), " ")
	return text(field, s, required, max)
}

// date checks a YYYY-MM-DD date that exists in the calendar; "" is allowed
// unless required.
func date(field, s string, required bool) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		if required {
			return "", fieldErr(field, CodeRequired)
		}
		return "", nil
	}
	if !ValidDate(s) {
		return "", fieldErr(field, CodeInvalidDate)
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
func currencyCode(field, s string) (string, error) {
	s = strings.ToUpper(strings.TrimSpace(s))
	if s == "" {
		return "", fieldErr(field, CodeRequired)
	}
	if !currencyRE.MatchString(s) {
		return "", fieldErr(field, CodeInvalidCurrency)
	}
	if _, err := currency.ParseISO(s); err != nil {
		return "", fieldErr(field, CodeInvalidCurrency)
	}
	return s, nil
}

// email normalizes an optional address with mailaddr.Normalize.
func email(field, s string) (string, error) {
	if strings.TrimSpace(s) == "" {
		return "", nil
	}
	e, err := mailaddr.Normalize(s)
	if err != nil {
		return "", fieldErr(field, CodeInvalidEmail)
	}
	return e, nil
}

// oneOf checks s against a set of allowed values.
func oneOf(field, code, s string, allowed []string) (string, error) {
	s = strings.TrimSpace(s)
	for _, a := range allowed {
		if s == a {
			return s, nil
		}
	}
	return "", fieldErr(field, code)
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
