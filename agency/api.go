package agency

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"reflect"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"workrate/auth"
	"workrate/store"
	"workrate/tenant"
	"workrate/web"
)

// The API's error envelope: {"error":{"code":"…","message":"…"}}, plus
// "field" when one field of the body is at fault.
type apiErrorBody struct {
	Error apiErrorDetail `json:"error"`
}

type apiErrorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
}

// APIError is an error the API answers with Status and the error envelope.
type APIError struct {
	Status  int
	Code    string
	Message string
	Field   string
}

func (e *APIError) Error() string { return fmt.Sprintf("api: %d %s: %s", e.Status, e.Code, e.Message) }

// apiErr returns an *APIError; handlers return it like any error.
func apiErr(status int, code, format string, args ...any) *APIError {
	return &APIError{Status: status, Code: code, Message: fmt.Sprintf(format, args...)}
}

// fieldErr is a 422 about one field of the body.
func fieldErr(field, format string, args ...any) *APIError {
	return &APIError{Status: http.StatusUnprocessableEntity, Code: "invalid_field", Field: field,
		Message: field + ": " + fmt.Sprintf(format, args...)}
}

// WriteAPIError answers the error envelope; for code outside this package
// (the server's JSON 404 for unknown /api/ paths).
func WriteAPIError(c *gin.Context, status int, code, msg string) {
	c.Header("Cache-Control", "no-store")
	c.AbortWithStatusJSON(status, apiErrorBody{apiErrorDetail{Code: code, Message: msg}})
}

// apiError answers the error envelope with status, code and message.
func (h *Handler) apiError(c *gin.Context, status int, code, msg string) {
	WriteAPIError(c, status, code, msg)
}

// api adapts an API handler that returns an error: *APIError is answered as
// it says, store.ErrNotFound is 404 (ids outside the caller's scope too),
// store.ErrConflict 409, auth.ErrBusy 429; anything else is logged and
// answered 500 without detail.
func (h *Handler) api(f func(*gin.Context) error) gin.HandlerFunc {
	return func(c *gin.Context) {
		if err := f(c); err != nil {
			h.apiFail(c, err)
		}
	}
}

func (h *Handler) apiFail(c *gin.Context, err error) {
	var ae *APIError
	var re *tenant.RateError
	switch {
	case errors.As(err, &ae):
		c.Header("Cache-Control", "no-store")
		c.AbortWithStatusJSON(ae.Status, apiErrorBody{apiErrorDetail{Code: ae.Code, Message: ae.Message, Field: ae.Field}})
	case errors.As(err, &re):
		h.apiFail(c, rateAPIError(re))
	case errors.Is(err, store.ErrNotFound):
		h.apiError(c, http.StatusNotFound, "not_found", "no such resource")
	case errors.Is(err, store.ErrConflict):
		h.apiError(c, http.StatusConflict, "conflict", "this conflicts with an existing resource")
	case store.Unavailable(err):
		slog.WarnContext(c, "database unavailable", "err", err, "path", c.FullPath())
		c.Header("Retry-After", "5")
		h.apiError(c, http.StatusServiceUnavailable, "unavailable", "the service is temporarily unavailable; retry in a moment")
	case errors.Is(err, auth.ErrBusy):
		c.Header("Retry-After", "1")
		h.apiError(c, http.StatusTooManyRequests, "busy", "the server is busy; retry in a moment")
	default:
		if fe := apiFieldError(err); fe != nil {
			h.apiFail(c, fe)
			return
		}
		slog.ErrorContext(c, "api request failed", "err", err, "path", c.FullPath())
		h.apiError(c, http.StatusInternalServerError, "internal", "internal error")
	}
}

// maxJSONBody bounds an API request body (the app's global limit is larger,
// for logos).
const maxJSONBody = 256 << 10

// decodeJSON reads the request body into v strictly: JSON only, one
// document, no unknown fields, at most maxJSONBody bytes. Every failure is an
// *APIError that says what is wrong, naming the field when there is one.
func decodeJSON(c *gin.Context, v any) error {
	if ct := c.ContentType(); ct != "" && ct != "application/json" {
		return apiErr(http.StatusUnsupportedMediaType, "unsupported_media_type", "the body must be application/json")
	}
	body := http.MaxBytesReader(c.Writer, c.Request.Body, maxJSONBody)
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err, v)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return jsonError(err, v)
		}
		return apiErr(http.StatusBadRequest, "invalid_json", "the body must hold exactly one JSON document")
	}
	if !validText(reflect.ValueOf(v)) {
		return apiErr(http.StatusBadRequest, "invalid_text", "text must be UTF-8 without NUL characters")
	}
	return nil
}

// validText reports whether every string reachable from v is web.ValidText
// (JSON can carry a NUL as \u0000, which no query can store).
func validText(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.String:
		return web.ValidText(v.String())
	case reflect.Pointer, reflect.Interface:
		return v.IsNil() || validText(v.Elem())
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() && !validText(v.Field(i)) {
				return false
			}
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			if !validText(v.Index(i)) {
				return false
			}
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			if !validText(it.Key()) || !validText(it.Value()) {
				return false
			}
		}
	}
	return true
}

// jsonError explains a decoding failure.
func jsonError(err error, v any) *APIError {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var mbe *http.MaxBytesError
	switch {
	case errors.Is(err, io.EOF):
		return apiErr(http.StatusBadRequest, "invalid_json", "the request needs a JSON body")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return apiErr(http.StatusBadRequest, "invalid_json", "the JSON body ends too early")
	case errors.As(err, &mbe):
		return apiErr(http.StatusRequestEntityTooLarge, "body_too_large", "the body is larger than %d bytes", maxJSONBody)
	case errors.As(err, &syn):
		return apiErr(http.StatusBadRequest, "invalid_json", "invalid JSON at byte %d", syn.Offset)
	case errors.As(err, &typ):
		if typ.Field == "" {
			return apiErr(http.StatusBadRequest, "invalid_type", "the body must be %s, not %s", jsonKind(reflect.TypeOf(v)), typ.Value)
		}
		e := apiErr(http.StatusBadRequest, "invalid_type", "field %q must be %s, not %s", typ.Field, jsonKind(typ.Type), typ.Value)
		e.Field = typ.Field
		return e
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		e := apiErr(http.StatusBadRequest, "unknown_field", "unknown field %q", name)
		e.Field = name
		return e
	}
	return apiErr(http.StatusBadRequest, "invalid_json", "the body is not valid JSON for this request")
}

// jsonKind names a Go type the way a JSON user thinks of it.
func jsonKind(t reflect.Type) string {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil {
		return "a value"
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Struct, reflect.Map:
		return "an object"
	}
	return "a value"
}

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

// requireAPIKey admits a request with "Authorization: Bearer <key>" whose key
// belongs to this host's agency; on the platform host the key's own agency
// becomes the tenant. Anything else is 401.
func (h *Handler) requireAPIKey(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	scheme, token, _ := strings.Cut(c.GetHeader("Authorization"), " ")
	token = strings.TrimSpace(token)
	if !strings.EqualFold(scheme, "Bearer") || token == "" {
		c.Header("WWW-Authenticate", `Bearer realm="api"`)
		h.apiError(c, http.StatusUnauthorized, "unauthorized", "send Authorization: Bearer <API key>")
		return
	}
	k, err := h.auth.APIKeyByToken(c, token)
	if err != nil {
		if !errors.Is(err, store.ErrNotFound) {
			h.apiFail(c, err)
			return
		}
		c.Header("WWW-Authenticate", `Bearer realm="api", error="invalid_token"`)
		h.apiError(c, http.StatusUnauthorized, "invalid_api_key", "the API key is not valid here")
		return
	}
	t := tenant.FromContext(c)
	var site *tenant.Site
	switch t.Kind {
	case tenant.AgencyHost:
		if t.Site.Agency.ID == k.AgencyID {
			site = t.Site
		}
	case tenant.Platform:
		if s := h.resolver.SiteByID(k.AgencyID); s != nil && s.Agency.Active() {
			site = s
			tenant.WithTenant(c, tenant.Tenant{Kind: tenant.Platform, Host: t.Host, Site: site})
		}
	}
	if site == nil {
		c.Header("WWW-Authenticate", `Bearer realm="api", error="invalid_token"`)
		h.apiError(c, http.StatusUnauthorized, "invalid_api_key", "the API key is not valid here")
		return
	}
	c.Set(apiKeyKey, k)
	c.Next()
}
