package locale

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"workrate/field"
)

// codeLiteral finds field codes written out in Go code ("field.xyz").
var codeLiteral = regexp.MustCompile(`"(field\.[a-z_]+)"`)

// TestFieldMessages checks that every code a producer can return has a real
// message in every language, with its bound filled in.
func TestFieldMessages(t *testing.T) {
	codes := field.Codes()
	// Codes written as literals anywhere in the project (outside tests) count too.
	err := filepath.WalkDir("..", func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return err
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, m := range codeLiteral.FindAllStringSubmatch(string(src), -1) {
			codes = append(codes, m[1])
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(codes)
	codes = slices.Compact(codes)
	if len(codes) < 40 {
		t.Fatalf("only %d codes found", len(codes))
	}
	b := MustNew()
	for _, lang := range b.Languages() {
		l := b.Localizer(lang.Tag)
		en := b.Localizer("en")
		for _, code := range codes {
			msg := l.FieldMessage(field.Limited("title", code, 987))
			switch {
			case msg == code || strings.HasPrefix(msg, "field."):
				t.Errorf("%s: %s has no message: %q", lang.Tag, code, msg)
			case strings.Contains(msg, "{{") || strings.Contains(msg, "<no value>"):
				t.Errorf("%s: %s renders badly: %q", lang.Tag, code, msg)
			case lang.Tag != "en" && msg == en.FieldMessage(field.Limited("title", code, 987)) && !strings.Contains(msg, "987"):
				t.Errorf("%s: %s is not translated: %q", lang.Tag, code, msg)
			}
		}
	}
	// A bound reaches the message.
	if msg := b.Localizer("de").FieldMessage(field.Limited("title", field.TooLong, 200)); !strings.Contains(msg, "200") {
		t.Errorf("too_long in German = %q, want the limit 200 in it", msg)
	}
}
