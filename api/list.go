package api

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
)

// Pagination. Every list answer is the envelope
//
//	{"items": [...], "next_cursor": "…" | null}
//
// Ask for the next page with ?cursor=<next_cursor>; ?limit= is 1 to 200
// (default 50). Cursors are opaque; next_cursor is null on the last page.
const (
	defaultLimit = 50
	maxLimit     = 200
	maxCursorLen = 512
)

// listPage is the answer of every list.
type listPage[T any] struct {
	Items      []T     `json:"items"`
	NextCursor *string `json:"next_cursor"`
}

// newListPage builds a page; next "" means the last page.
func newListPage[T any](items []T, next string) listPage[T] {
	if items == nil {
		items = []T{}
	}
	p := listPage[T]{Items: items}
	if next != "" {
		p.NextCursor = &next
	}
	return p
}

// listParams reads ?limit= and ?cursor=.
func listParams(c *gin.Context) (limit int, cursor string, err error) {
	limit = defaultLimit
	if s, ok := c.GetQuery("limit"); ok {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > maxLimit {
			return 0, "", apiErr(http.StatusBadRequest, "invalid_parameter", "limit must be an integer from 1 to %d", maxLimit)
		}
		limit = n
	}
	cursor = c.Query("cursor")
	if len(cursor) > maxCursorLen {
		return 0, "", apiErr(http.StatusBadRequest, "invalid_cursor", "the cursor is not one this API gave")
	}
	return limit, cursor, nil
}

// pageOf pages a list held in memory with an offset cursor ("o<offset>").
func pageOf[T any](all []T, limit int, cursor string) ([]T, string, error) {
	off := 0
	if cursor != "" {
		n, err := strconv.Atoi(strings.TrimPrefix(cursor, "o"))
		if !strings.HasPrefix(cursor, "o") || err != nil || n < 0 || n > len(all) {
			return nil, "", apiErr(http.StatusBadRequest, "invalid_cursor", "the cursor is not one this API gave")
		}
		off = n
	}
	end := min(off+limit, len(all))
	next := ""
	if end < len(all) {
		next = "o" + strconv.Itoa(end)
	}
	return all[off:end], next, nil
}
