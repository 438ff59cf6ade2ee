// Package field holds the one type of validation error: input refused for
// one field, with a code that is the message id users see.
package field

import (
	"errors"
	"fmt"
)

// Error says which input field is wrong and why. Field is named as in the
// JSON API and the forms ("title", "lines[2].quantity", "[1].service"; ""
// for the input as a whole). Code is a locale message id (field.toml);
// Limit carries the bound for codes that have one, so that a message can
// name it ({{.Limit}}).
type Error struct {
	Field string
	Code  string
	Limit int64
}

// New returns an error about field with code.
func New(field, code string) *Error { return &Error{Field: field, Code: code} }

// Limited returns an error about field with code and its bound.
func Limited(field, code string, limit int64) *Error {
	return &Error{Field: field, Code: code, Limit: limit}
}

// Error describes the problem for logs; users see the localized Code.
func (e *Error) Error() string {
	if e.Limit != 0 {
		return fmt.Sprintf("field %s: %s (limit %d)", e.Field, e.Code, e.Limit)
	}
	return fmt.Sprintf("field %s: %s", e.Field, e.Code)
}

// Is reports whether target is an *Error with the same Code, so that
// errors.Is matches sentinels whatever field they name.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t != nil && e != nil && t.Code == e.Code
}

// In returns a copy of e about another field (a policy checked for a
// named input: "password" becomes "new_password").
func (e *Error) In(field string) *Error {
	c := *e
	c.Field = field
	return &c
}

// As returns the *Error in err's chain, or nil.
func As(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}

// The codes: message ids of locale/messages/<lang>/field.toml.
const (
	Required        = "field.required"          // the field is empty
	TooLong         = "field.too_long"          // more than Limit characters
	InvalidStatus   = "field.invalid_status"    // not one of the statuses of that kind of row
	InvalidPriority = "field.invalid_priority"  // not one of low, normal, high, urgent
	InvalidDate     = "field.invalid_date"      // not a real date written YYYY-MM-DD
	DueBeforeIssue  = "field.due_before_issue"  // an invoice due before it is issued
	InvalidCurrency = "field.invalid_currency"  // not a 3-letter ISO 4217 code
	InvalidQuantity = "field.invalid_quantity"  // a quantity that is not > 0, or above Limit
	TooManyDecimals = "field.too_many_decimals" // a quantity with more than 3 decimals
	Negative        = "field.negative"          // an amount below zero
	TooLarge        = "field.too_large"         // an amount above Limit
	NoLines         = "field.no_lines"          // an invoice without any line
	TooManyLines    = "field.too_many_lines"    // an invoice with more than Limit lines
	InvalidEmail    = "field.invalid_email"     // not a plain email address
	InvalidAssignee = "field.invalid_assignee"  // not a staff member of the agency
	InvalidCursor   = "field.invalid_cursor"    // a pagination cursor the store did not make
	InvalidChoice   = "field.invalid_choice"    // not one of the values offered

	DuplicateService = "field.duplicate_service" // a service that already has a rate
	TooManyRates     = "field.too_many_rates"    // more than Limit service rates

	HostnameInvalid     = "field.hostname_invalid"      // not a hostname
	HostnameWildcard    = "field.hostname_wildcard"     // a wildcard name
	HostnameIP          = "field.hostname_ip"           // an IP address
	HostnameSingleLabel = "field.hostname_single_label" // a name with one label
	HostnameTooLong     = "field.hostname_too_long"     // longer than a DNS name may be
	HostnamePlatform    = "field.hostname_platform"     // at or under the platform's own domains
	HostnameTaken       = "field.hostname_taken"        // claimed by an agency already
	TooManyHostnames    = "field.too_many_hostnames"    // the agency has claimed the most allowed

	PasswordTooShort = "field.password_too_short" // fewer than Limit characters
	PasswordTooLong  = "field.password_too_long"  // more than Limit bytes
	PasswordCommon   = "field.password_common"    // in the list of common passwords
	PasswordRequired = "field.password_required"  // enabling access without a new password
	PasswordDisabled = "field.password_disabled"  // a password for a disabled login
	PasswordMismatch = "field.password_mismatch"  // the confirmation differs
	PasswordSame     = "field.password_same"      // the new password is the temporary one
	CurrentWrong     = "field.current_wrong"      // the current password is not right
	EmailTaken       = "field.email_taken"        // another login of the agency has this email

	LogoEmpty        = "field.logo_empty"         // an empty upload
	LogoTooLarge     = "field.logo_too_large"     // more than Limit KiB
	LogoDimensions   = "field.logo_dimensions"    // a side of 0 or above Limit pixels
	LogoFormat       = "field.logo_format"        // not a PNG, JPEG or WebP image
	LogoCorrupt      = "field.logo_corrupt"       // truncated or undecodable
	LogoTrailingData = "field.logo_trailing_data" // bytes after the end of the image
	InvalidColor     = "field.invalid_color"      // not #rgb or #rrggbb
)

// Codes lists every code above, for tests that each has a message.
func Codes() []string {
	return []string{
		Required, TooLong, InvalidStatus, InvalidPriority, InvalidDate, DueBeforeIssue, InvalidCurrency,
		InvalidQuantity, TooManyDecimals, Negative, TooLarge, NoLines, TooManyLines, InvalidEmail,
		InvalidAssignee, InvalidCursor, InvalidChoice,
		DuplicateService, TooManyRates,
		HostnameInvalid, HostnameWildcard, HostnameIP, HostnameSingleLabel, HostnameTooLong, HostnamePlatform,
		HostnameTaken, TooManyHostnames,
		PasswordTooShort, PasswordTooLong, PasswordCommon, PasswordRequired, PasswordDisabled, PasswordMismatch,
		PasswordSame, CurrentWrong, EmailTaken,
		LogoEmpty, LogoTooLarge, LogoDimensions, LogoFormat, LogoCorrupt, LogoTrailingData, InvalidColor,
	}
}
