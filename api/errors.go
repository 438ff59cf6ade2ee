package api

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"workrate/auth"
	"workrate/field"
	"workrate/store"
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

// Error is an error the API answers with Status and the error envelope.
type Error struct {
	Status  int
	Code    string
	Message string
	Field   string
}

// Error describes the error for logs.
func (e *Error) Error() string { return fmt.Sprintf("api: %d %s: %s", e.Status, e.Code, e.Message) }

// apiErr returns an *Error; handlers return it like any error.
func apiErr(status int, code, format string, args ...any) *Error {
	return &Error{Status: status, Code: code, Message: fmt.Sprintf(format, args...)}
}

// fieldErr is a 422 about one field of the body, for the API's own rules
// that no data package has (refusals of the data packages are *field.Error,
// answered by fieldError).
func fieldErr(name, format string, args ...any) *Error {
	return &Error{Status: http.StatusUnprocessableEntity, Code: "invalid_field", Field: name,
		Message: name + ": " + fmt.Sprintf(format, args...)}
}

// fieldError is the API's answer to a refused field: 422 invalid_field
// naming the field, with the message the pages show, in English. A few
// codes keep the API's own code and status: a cursor the API did not give
// (400 invalid_cursor), too many rates (422 too_many), a hostname in use
// (409 hostname_taken) and the refusals of a logo, which is the body itself,
// not a field of it.
func (h *Handler) fieldError(fe *field.Error) *Error {
	msg := h.bundle.Localizer("en").FieldMessage(fe)
	whole := func(status int, code string) *Error { return &Error{Status: status, Code: code, Message: msg} }
	switch fe.Code {
	case field.InvalidCursor:
		return whole(http.StatusBadRequest, "invalid_cursor")
	case field.TooManyRates:
		return whole(http.StatusUnprocessableEntity, "too_many")
	case field.HostnameTaken:
		return whole(http.StatusConflict, "hostname_taken")
	case field.LogoEmpty:
		return whole(http.StatusBadRequest, "logo.empty")
	case field.LogoTooLarge:
		return whole(http.StatusRequestEntityTooLarge, "logo.too_large")
	case field.LogoFormat:
		return whole(http.StatusUnsupportedMediaType, "logo.unsupported_format")
	case field.LogoDimensions:
		return whole(http.StatusUnprocessableEntity, "logo.too_big_dimensions")
	case field.LogoCorrupt:
		return whole(http.StatusUnprocessableEntity, "logo.corrupt")
	case field.LogoTrailingData:
		return whole(http.StatusUnprocessableEntity, "logo.trailing_data")
	}
	code := "invalid_field"
	if fe.Code == field.InvalidColor {
		code = "branding.invalid_color"
	}
	return &Error{Status: http.StatusUnprocessableEntity, Code: code, Field: fe.Field, Message: fe.Field + ": " + msg}
}

// WriteError answers the error envelope; for code outside this package
// (the server's JSON 404 for unknown /api/ paths).
func WriteError(c *gin.Context, status int, code, msg string) {
	c.Header("Cache-Control", "no-store")
	c.AbortWithStatusJSON(status, apiErrorBody{apiErrorDetail{Code: code, Message: msg}})
}

// api adapts an API handler that returns an error: *Error is answered as
// it says, a *field.Error as fieldError says, store.ErrNotFound is 404 (ids outside the caller's scope too),
// store.ErrConflict 409, auth.ErrBusy 429; anything else is logged and
// answered 500 without detail.
func (h *Handler) api(f func(*gin.Context) error) gin.HandlerFunc {
	return func(c *gin.Context) {
		if err := f(c); err != nil {
			h.fail(c, err)
		}
	}
}

// fail answers err in the error envelope (see api).
func (h *Handler) fail(c *gin.Context, err error) {
	var ae *Error
	switch {
	case errors.As(err, &ae):
		c.Header("Cache-Control", "no-store")
		c.AbortWithStatusJSON(ae.Status, apiErrorBody{apiErrorDetail{Code: ae.Code, Message: ae.Message, Field: ae.Field}})
	case field.As(err) != nil:
		h.fail(c, h.fieldError(field.As(err)))
	case errors.Is(err, store.ErrNotFound):
		WriteError(c, http.StatusNotFound, "not_found", "no such resource")
	case errors.Is(err, store.ErrConflict):
		WriteError(c, http.StatusConflict, "conflict", "this conflicts with an existing resource")
	case store.Unavailable(err):
		slog.WarnContext(c, "database unavailable", "err", err, "path", c.FullPath())
		c.Header("Retry-After", "5")
		WriteError(c, http.StatusServiceUnavailable, "unavailable", "the service is temporarily unavailable; retry in a moment")
	case errors.Is(err, auth.ErrBusy):
		c.Header("Retry-After", "1")
		WriteError(c, http.StatusTooManyRequests, "busy", "the server is busy; retry in a moment")
	default:
		slog.ErrorContext(c, "api request failed", "err", err, "path", c.FullPath())
		WriteError(c, http.StatusInternalServerError, "internal", "internal error")
	}
}
