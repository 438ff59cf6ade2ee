package api

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"reflect"
	"strings"

	"github.com/gin-gonic/gin"

	"workrate/web"
)

// maxJSONBody bounds an API request body (the app's global limit is larger,
// for logos).
const maxJSONBody = 256 << 10

// decodeJSON reads the request body into v strictly: JSON only, one
// document, no unknown fields, at most maxJSONBody bytes. Every failure is an
// *Error that says what is wrong, naming the field when there is one.
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
func jsonError(err error, v any) *Error {
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
