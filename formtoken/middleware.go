package formtoken

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"html/template"
	"log/slog"
	"mime"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
)

// Field is the name of the hidden input that carries the token.
const Field = "form_token"

// Input returns the hidden input with a new token: templates call
// {{formToken}} once inside each form that writes.
func Input() template.HTML {
	var b [18]byte
	_, _ = rand.Read(b[:])
	return template.HTML(`<input type="hidden" name="` + Field + `" value="` + base64.RawURLEncoding.EncodeToString(b[:]) + `">`)
}

// waitFor is how long a second submission waits for the first to finish
// before it is answered "busy": a browser shows the answer of the last click.
const waitFor = 10 * time.Second

// Guard is the middleware and its store.
type Guard struct {
	store *Store
	busy  func(c *gin.Context)
}

// New returns the guard; busy answers a submission whose twin is still
// running after waitFor.
func New(s *Store, busy func(c *gin.Context)) *Guard {
	return &Guard{store: s, busy: busy}
}

// Middleware runs a form POST that carries a token once per host, path and
// token: the first submission's redirect is kept, and a second submission
// with the same token gets that redirect without reaching the handler
// (waiting while the first still runs). A submission that does not end in a
// redirect (the form again with its errors, an error page) frees its token.
// Forms without a token pass untouched.
func (g *Guard) Middleware() gin.HandlerFunc {
	return func(c *gin.Context) {
		r := c.Request
		if r.Method != http.MethodPost || !isForm(r) {
			c.Next()
			return
		}
		token := c.PostForm(Field)
		if len(token) < 16 || len(token) > 64 {
			c.Next()
			return
		}
		hash := digest(r.Host, r.URL.Path, token)
		u, mine, err := g.store.claim(c.Request.Context(), hash)
		if err != nil {
			slog.WarnContext(c, "form token unavailable", "err", err)
			c.Next() // a form still works without its guard
			return
		}
		if !mine {
			g.answerTwin(c, hash, u)
			return
		}
		ctx := context.WithoutCancel(c.Request.Context())
		kept := false
		defer func() {
			if !kept {
				if err := g.store.release(ctx, hash); err != nil {
					slog.WarnContext(ctx, "form token release failed", "err", err)
				}
			}
		}()
		c.Next()
		status, location := c.Writer.Status(), c.Writer.Header().Get("Location")
		if status < 300 || status > 399 || location == "" {
			return
		}
		if err := g.store.complete(ctx, hash, status, location); err != nil {
			slog.WarnContext(ctx, "form token answer not kept", "err", err)
			return
		}
		kept = true
	}
}

// answerTwin answers a submission whose token was used: the first one's
// redirect, once it has one.
func (g *Guard) answerTwin(c *gin.Context, hash string, u use) {
	deadline := time.Now().Add(waitFor)
	pause := 50 * time.Millisecond
	for u.Status == 0 {
		if time.Now().After(deadline) {
			c.Header("Retry-After", "2")
			g.busy(c)
			c.Abort()
			return
		}
		select {
		case <-c.Done():
			c.Abort()
			return
		case <-time.After(pause):
		}
		pause = min(2*pause, time.Second)
		var err error
		if u, err = g.store.get(c.Request.Context(), hash); err != nil {
			// Freed (the first submission showed the form again) or unreadable:
			// this one runs, as a form without a token would.
			c.Next()
			return
		}
	}
	c.Redirect(u.Status, u.Location)
	c.Abort()
}

// isForm reports whether the body is an HTML form.
func isForm(r *http.Request) bool {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return mt == "application/x-www-form-urlencoded" || mt == "multipart/form-data"
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
