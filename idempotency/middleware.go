package idempotency

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
)

// Header is the request header that names a write.
const Header = "Idempotency-Key"

// maxStored is the largest answer body kept for replay; a larger one is not kept.
const maxStored = 1 << 20

// replayedHeaders are the answer's headers a replay repeats.
var replayedHeaders = []string{"Content-Type", "Location", "ETag", "Last-Modified"}

// ErrorWriter answers an error in the API's envelope.
type ErrorWriter func(c *gin.Context, status int, code, message string)

// Guard is the middleware and the store it keeps answers in.
type Guard struct {
	store    *Store
	prefix   string
	writeErr ErrorWriter
}

// New returns the guard for the API under prefix ("/api/v1"), answering its
// own errors (422 key reused, 409 in progress, 400 bad key) with writeErr.
func New(s *Store, prefix string, writeErr ErrorWriter) *Guard {
	return &Guard{store: s, prefix: prefix, writeErr: writeErr}
}

// Middleware runs a POST, PUT or PATCH under the prefix that carries an
// Idempotency-Key once per API key (the Authorization header) and key:
// the same key with the same method, path and body gets the stored answer
// (status, Content-Type, Location, body; marked Idempotent-Replayed: true),
// with another body 422, while the first is still running 409. Server
// errors, refused credentials and rate limits are not kept: their retry runs
// again. Other requests pass untouched.
func (g *Guard) Middleware() gin.HandlerFunc {
	return func(c *gin.Context) {
		r := c.Request
		raw := r.Header.Get(Header)
		if raw == "" || !strings.HasPrefix(r.URL.Path, g.prefix+"/") ||
			(r.Method != http.MethodPost && r.Method != http.MethodPut && r.Method != http.MethodPatch) {
			c.Next()
			return
		}
		key, ok := parseKey(raw)
		if !ok {
			g.fail(c, http.StatusBadRequest, "invalid_idempotency_key", "Idempotency-Key must be 1 to 255 visible ASCII characters, e.g. a UUID")
			return
		}
		auth := r.Header.Get("Authorization")
		if auth == "" {
			c.Next() // refused by the API's own check; nothing to remember
			return
		}
		body, err := io.ReadAll(r.Body)
		if err != nil {
			g.fail(c, http.StatusRequestEntityTooLarge, "body_too_large", "the body is too large")
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		owner := digest(auth)
		fingerprint := digest(r.Method, r.URL.RequestURI(), r.Header.Get("Content-Type"), string(body))

		e, mine, err := g.store.claim(c.Request.Context(), owner, key, fingerprint)
		switch {
		case err != nil:
			slog.WarnContext(c, "idempotency unavailable", "err", err)
			g.fail(c, http.StatusServiceUnavailable, "unavailable", "the service is unavailable, try again")
			return
		case !mine && e.Fingerprint != fingerprint:
			g.fail(c, http.StatusUnprocessableEntity, "idempotency_key_reused", "this Idempotency-Key was used for another request: use a new key for a new request")
			return
		case !mine && e.Status == 0:
			c.Header("Retry-After", "1")
			g.fail(c, http.StatusConflict, "idempotency_key_in_use", "a request with this Idempotency-Key is still in progress: retry when it has finished")
			return
		case !mine:
			replay(c, e)
			return
		}

		rec := &recorder{ResponseWriter: c.Writer}
		c.Writer = rec
		finished := false
		// The answer is stored even when the client has gone: a lost answer is
		// exactly what the retry comes back for.
		ctx := context.WithoutCancel(c.Request.Context())
		defer func() {
			if finished {
				return
			}
			if err := g.store.release(ctx, owner, key); err != nil {
				slog.WarnContext(ctx, "idempotency release failed", "err", err)
			}
		}()
		c.Next()
		status := rec.Status()
		if !keep(status) || rec.overflow {
			return
		}
		headers, _ := json.Marshal(pick(rec.Header()))
		if err := g.store.complete(ctx, owner, key, status, string(headers), rec.body.Bytes()); err != nil {
			slog.WarnContext(ctx, "idempotency answer not stored", "err", err)
			return
		}
		finished = true
	}
}

// keep reports whether an answer is final: a retry should get it again.
func keep(status int) bool {
	switch {
	case status >= 500, status == http.StatusUnauthorized, status == http.StatusForbidden,
		status == http.StatusTooManyRequests, status == http.StatusRequestTimeout:
		return false
	}
	return true
}

// fail answers one of the guard's own errors.
func (g *Guard) fail(c *gin.Context, status int, code, message string) {
	c.Header("Cache-Control", "no-store")
	g.writeErr(c, status, code, message)
	c.Abort()
}

// replay answers the stored answer again.
func replay(c *gin.Context, e entry) {
	var headers map[string]string
	_ = json.Unmarshal([]byte(e.Headers), &headers)
	for k, v := range headers {
		c.Header(k, v)
	}
	c.Header("Cache-Control", "no-store")
	c.Header("Idempotent-Replayed", "true")
	c.Status(e.Status)
	if len(e.Body) > 0 {
		_, _ = c.Writer.Write(e.Body)
	}
	c.Abort()
}

// parseKey accepts a key as a bare token or as the draft's quoted string.
func parseKey(raw string) (string, bool) {
	k := strings.TrimSpace(raw)
	if len(k) >= 2 && k[0] == '"' && k[len(k)-1] == '"' {
		k = k[1 : len(k)-1]
	}
	if k == "" || len(k) > 255 {
		return "", false
	}
	for i := 0; i < len(k); i++ {
		if k[i] < 0x21 || k[i] > 0x7e {
			return "", false
		}
	}
	return k, true
}

// digest is the hex SHA-256 of the parts, each ended by a NUL.
func digest(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// pick returns the headers a replay repeats.
func pick(h http.Header) map[string]string {
	out := map[string]string{}
	for _, k := range replayedHeaders {
		if v := h.Get(k); v != "" {
			out[k] = v
		}
	}
	return out
}

// recorder passes the answer through and keeps a copy of its body.
type recorder struct {
	gin.ResponseWriter
	body     bytes.Buffer
	overflow bool
}

func (r *recorder) keep(n int, b []byte) {
	if r.overflow {
		return
	}
	if r.body.Len()+n > maxStored {
		r.overflow = true
		r.body.Reset()
		return
	}
	r.body.Write(b[:n])
}

// Write passes b on and keeps it.
func (r *recorder) Write(b []byte) (int, error) {
	n, err := r.ResponseWriter.Write(b)
	r.keep(len(b), b) // all of it: the client may be gone, the answer still counts
	return n, err
}

// WriteString passes s on and keeps it.
func (r *recorder) WriteString(s string) (int, error) {
	n, err := r.ResponseWriter.WriteString(s)
	r.keep(len(s), []byte(s))
	return n, err
}
