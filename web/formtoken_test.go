package web

import (
	"io/fs"
	"os"
	"regexp"
	"strings"
	"testing"
)

// formTag is the opening tag of a form that posts, with what follows it.
var formTag = regexp.MustCompile(`<form[^>]*method="post"[^>]*>\s*(\{\{formToken\}\})?`)

// tokenless are the forms that carry no one-time token on purpose: sign-in
// steps and password changes set cookies that a replayed redirect would not,
// and switching language, signing out and ending a preview are harmless twice.
var tokenless = []string{
	`action="/login"`, `action="/staff/login"`, `action="/staff/login/choose"`, `action="/operator/login"`,
	`action="/password"`, `action="/staff/account/password"`, `action="{{.Action}}"`, `action="{{.Prefix}}/`,
	`action="/language"`, `/logout{{end}}"`, `action="/staff/preview/end"`, `/portal/preview"`,
}

func TestEveryFormThatWritesCarriesAToken(t *testing.T) {
	n := 0
	err := fs.WalkDir(os.DirFS("templates"), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile("templates/" + path)
		if err != nil {
			return err
		}
		for _, m := range formTag.FindAllStringSubmatch(string(b), -1) {
			exempt := false
			for _, s := range tokenless {
				exempt = exempt || strings.Contains(m[0], s)
			}
			switch {
			case exempt && m[1] != "":
				t.Errorf("%s: %s carries a form token, but its answer sets cookies or it is harmless twice", path, m[0])
			case !exempt && m[1] == "":
				t.Errorf("%s: %s has no {{formToken}} right after its opening tag: a double submit would write twice", path, m[0])
			case !exempt:
				n++
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 40 {
		t.Fatalf("only %d forms with a token found: is the pattern still right?", n)
	}
}
