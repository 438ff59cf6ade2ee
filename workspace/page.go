package workspace

import (
	"encoding/base64"
	"strings"

	"workrate/field"
	"workrate/store"
)

// Page sizes.
const (
	DefaultLimit = 50
	MaxLimit     = 200
)

// ListOptions asks for one page of a list: at most Limit items (default 50,
// at most 200) after Cursor (opaque; "" for the first page).
type ListOptions struct {
	Limit  int
	Cursor string
}

// Page is one page of a list; Next is the cursor of the following page, ""
// on the last one.
type Page[T any] struct {
	Items []T    `json:"items"`
	Next  string `json:"next,omitempty"`
}

// limit returns the page size to use.
func (o ListOptions) limit() int {
	switch {
	case o.Limit <= 0:
		return DefaultLimit
	case o.Limit > MaxLimit:
		return MaxLimit
	}
	return o.Limit
}

// Cursors are base64url of the key of the last item of a page: its id, or
// for lists ordered by something else, that value and the id joined by NUL.
// They are opaque to callers and checked on the way back in.

func encodeCursor(parts ...string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strings.Join(parts, "\x00")))
}

// decodeCursor returns the n parts of a cursor; the last one must be an id.
// "" decodes to nil (the first page).
func decodeCursor(c string, n int) ([]string, error) {
	if c == "" {
		return nil, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return nil, field.New("cursor", field.InvalidCursor)
	}
	parts := strings.Split(string(b), "\x00")
	if len(parts) != n || !store.ValidID(parts[n-1]) {
		return nil, field.New("cursor", field.InvalidCursor)
	}
	return parts, nil
}

// idCursor decodes a cursor made of an id alone.
func idCursor(c string) (string, error) {
	parts, err := decodeCursor(c, 1)
	if err != nil || parts == nil {
		return "", err
	}
	return parts[0], nil
}
