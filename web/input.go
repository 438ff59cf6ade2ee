package web

import (
	"mime"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"
)

// ValidText reports whether s can be stored as text: valid UTF-8 without NUL
// bytes. Neither PostgreSQL's text nor bun's query builder takes a NUL, so
// such input is refused at the door instead of failing deep in a query.
func ValidText(s string) bool {
	return utf8.ValidString(s) && strings.IndexByte(s, 0) < 0
}

// validValues reports whether every key and value of vs is ValidText.
func validValues(vs url.Values) bool {
	for k, list := range vs {
		if !ValidText(k) {
			return false
		}
		for _, v := range list {
			if !ValidText(v) {
				return false
			}
		}
	}
	return true
}

// CleanInput refuses, through refuse, a request whose path, query or
// URL-encoded POST form holds text that cannot be stored (see ValidText). A
// form body that cannot be read is left to the handler, which explains it.
// Multipart bodies (file uploads) and JSON are read by their handlers
// (the API checks its JSON strings itself).
func CleanInput(refuse func(c *gin.Context)) gin.HandlerFunc {
	return func(c *gin.Context) {
		r := c.Request
		if !ValidText(r.URL.Path) {
			refuse(c)
			return
		}
		// Values parsed before a malformed part are still checked: handlers
		// read them (URL.Query ignores the error).
		if q, _ := url.ParseQuery(r.URL.RawQuery); !validValues(q) {
			refuse(c)
			return
		}
		// HTML forms are POSTed; other methods' bodies (the API's raw logo
		// upload) are left unread for their handlers.
		if r.Body != nil && r.Method == http.MethodPost {
			if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "application/x-www-form-urlencoded" {
				_ = r.ParseForm() // an unreadable body is the handler's to explain
				if !validValues(r.PostForm) {
					refuse(c)
					return
				}
			}
		}
		c.Next()
	}
}
