package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"
)

// SafeNext returns next when it is a same-host relative path, else "/": a
// redirect never leaves the host it was asked on.
func SafeNext(next string) string {
	if next == "" || next[0] != '/' || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") ||
		strings.ContainsAny(next, "\\\r\n\t\x00") {
		return "/"
	}
	return next
}

// ToSignIn ends the request with a redirect to a surface's sign-in page that,
// for a GET, remembers the page asked for (next=); the sign-in page only ever
// follows it back through SafeNext.
func ToSignIn(c *gin.Context, signIn string) {
	target := signIn
	if c.Request.Method == http.MethodGet && c.Request.URL.Path != "/" {
		target += "?next=" + url.QueryEscape(c.Request.URL.RequestURI())
	}
	c.Abort()
	c.Redirect(http.StatusSeeOther, target)
}
