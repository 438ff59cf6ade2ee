// Package scheme decides once per request whether it came over HTTPS, and
// answers that question for every cookie and header that depends on it.
package scheme

import (
	"context"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
)

// Trust says whether a peer address (host:port) is a trusted proxy;
// tenant.Proxies is one.
type Trust interface {
	Trusts(remoteAddr string) bool
}

// contextKey is where Middleware puts the decision on the request's context.
type contextKey struct{}

// HTTPS reports whether r came over HTTPS: TLS on the connection, or
// "X-Forwarded-Proto: https" sent by a trusted proxy that terminated TLS.
// The header of any other peer is ignored. Of several values only the last
// counts: it is the one the trusted proxy itself set or appended.
func HTTPS(r *http.Request, trusted Trust) bool {
	if r.TLS != nil {
		return true
	}
	vs := r.Header.Values("X-Forwarded-Proto")
	if len(vs) == 0 || trusted == nil || !trusted.Trusts(r.RemoteAddr) {
		return false
	}
	last := vs[len(vs)-1]
	if i := strings.LastIndexByte(last, ','); i >= 0 {
		last = last[i+1:]
	}
	return strings.EqualFold(strings.TrimSpace(last), "https")
}

// Middleware decides the scheme once, at the start of the engine, and keeps
// the answer on the request's context for Secure.
func Middleware(trusted Trust) gin.HandlerFunc {
	return func(c *gin.Context) {
		c.Request = With(c.Request, HTTPS(c.Request, trusted))
		c.Next()
	}
}

// With returns r carrying the decision that it is (or is not) HTTPS.
func With(r *http.Request, secure bool) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), contextKey{}, secure))
}

// Secure reports whether the request is HTTPS, as Middleware decided; a
// request that did not pass through it is HTTPS only over TLS. Secure
// cookies, the __Host- prefix and HSTS follow this answer.
func Secure(r *http.Request) bool {
	if v, ok := r.Context().Value(contextKey{}).(bool); ok {
		return v
	}
	return r.TLS != nil
}
