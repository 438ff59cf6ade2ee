package locale

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// Literal message ids used by templates ({{T "id"}}, {{N "id" n}}) and by Go
// code (l.T("id"), .N("id", n)). Ids built at run time are not seen here;
// the page-rendering tests catch those as raw ids in the output.
var (
	templateUse = regexp.MustCompile(`\b[TN]\s+"([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)"`)
	goUse       = regexp.MustCompile(`\.[TN]\(\s*"([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)"`)
)

// TestUsedIDsExist fails when a template or handler uses a message id that the
// English source lacks (and so, by TestSameIDsAsEnglish, every language lacks).
func TestUsedIDsExist(t *testing.T) {
	b := MustNew()
	known := map[string]bool{}
	for _, id := range b.MessageIDs("en") {
		known[id] = true
	}
	root := filepath.Join("..")
	var missing []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); name == ".git" || name == "data" || name == "testdata" || name == "node_modules" {
				return filepath.SkipDir
			}
			return nil
		}
		var re *regexp.Regexp
		switch {
		case strings.HasSuffix(p, ".html"):
			re = templateUse
		case strings.HasSuffix(p, ".go") && !strings.HasSuffix(p, "_test.go"):
			re = goUse
		default:
			return nil
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, m := range re.FindAllStringSubmatch(string(src), -1) {
			if !known[m[1]] {
				missing = append(missing, m[1]+" ("+p+")")
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(missing)
	missing = slices.Compact(missing)
	if len(missing) > 0 {
		t.Fatalf("message ids used but not defined in messages/en:\n%s", strings.Join(missing, "\n"))
	}
}
