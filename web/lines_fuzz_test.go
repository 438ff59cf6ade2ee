package web

import (
	"html/template"
	"strings"
	"testing"
)

// FuzzLines: the lines template func, which shows every user body (ticket
// bodies, comments, messages, notes), never lets markup through: no tag
// opens, no entity is left unescaped, and the text survives.
func FuzzLines(f *testing.F) {
	for _, s := range []string{"", "hello\nworld", "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>",
		"</textarea><script>x</script>", "a\r\nb", "&lt;script&gt;", "javascript:alert(1)", "<<script>script>", "\x00<\u2028>"} {
		f.Add(s)
	}
	lines := (&Renderer{}).funcs()["lines"].(func(string) template.HTML)
	f.Fuzz(func(t *testing.T, s string) {
		out := string(lines(s))
		// The only markup lines may produce is <br>.
		rest := strings.ReplaceAll(out, "<br>", "")
		if strings.ContainsAny(rest, "<>\"'") {
			t.Fatalf("lines(%q) = %q: markup or attribute breakers pass", s, out)
		}
		if strings.Count(out, "<br>") != strings.Count(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
			t.Fatalf("lines(%q) = %q: line breaks lost or added", s, out)
		}
	})
}
