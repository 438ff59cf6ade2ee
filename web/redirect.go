package web

import "strings"

// SafeNext returns next when it is a same-host relative path, else "/": a
// redirect never leaves the host it was asked on.
func SafeNext(next string) string {
	if next == "" || next[0] != '/' || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") ||
		strings.ContainsAny(next, "\\\r\n\t\x00") {
		return "/"
	}
	return next
}
