package locale

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/nicksnyder/go-i18n/v2/i18n"
)

// diffIDs returns the ids English has that lang lacks (missing) and the ids
// lang has that English does not (extra). Both inputs must be sorted.
func diffIDs(en, lang []string) (missing, extra []string) {
	for _, id := range en {
		if _, found := slices.BinarySearch(lang, id); !found {
			missing = append(missing, id)
		}
	}
	for _, id := range lang {
		if _, found := slices.BinarySearch(en, id); !found {
			extra = append(extra, id)
		}
	}
	return missing, extra
}

func TestDiffIDs(t *testing.T) {
	tests := []struct {
		name          string
		en, lang      []string
		missing, xtra []string
	}{
		{"same", []string{"a", "b"}, []string{"a", "b"}, nil, nil},
		{"missing", []string{"a", "b", "c"}, []string{"a", "c"}, []string{"b"}, nil},
		{"extra", []string{"a"}, []string{"a", "z"}, nil, []string{"z"}},
		{"both", []string{"a", "b"}, []string{"b", "c"}, []string{"a"}, []string{"c"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			missing, extra := diffIDs(tt.en, tt.lang)
			if !slices.Equal(missing, tt.missing) || !slices.Equal(extra, tt.xtra) {
				t.Errorf("diffIDs = %v, %v; want %v, %v", missing, extra, tt.missing, tt.xtra)
			}
		})
	}
}

// TestSameIDsAsEnglish is the guard other packages rely on: every language
// must define exactly the ids English defines.
func TestSameIDsAsEnglish(t *testing.T) {
	b := testBundle(t)
	en := b.MessageIDs("en")
	if len(en) == 0 {
		t.Fatal("English has no messages")
	}
	for _, l := range b.Languages() {
		if l.Tag == "en" {
			continue
		}
		t.Run(l.Tag, func(t *testing.T) {
			missing, extra := diffIDs(en, b.MessageIDs(l.Tag))
			if len(missing) > 0 {
				t.Errorf("%s lacks ids that English has: %v", l.Tag, missing)
			}
			if len(extra) > 0 {
				t.Errorf("%s has ids that English does not have (remove or add to en): %v", l.Tag, extra)
			}
		})
	}
}

// forms returns the non-empty plural forms of m by name.
func forms(m *i18n.Message) map[string]string {
	all := map[string]string{"zero": m.Zero, "one": m.One, "two": m.Two, "few": m.Few, "many": m.Many, "other": m.Other}
	out := make(map[string]string, len(all))
	for k, v := range all {
		if strings.TrimSpace(v) != "" {
			out[k] = v
		}
	}
	return out
}

func TestNoEmptyValues(t *testing.T) {
	b := testBundle(t)
	for _, l := range b.Languages() {
		t.Run(l.Tag, func(t *testing.T) {
			for _, id := range b.MessageIDs(l.Tag) {
				m := b.messages[l.Tag][id]
				if strings.TrimSpace(m.Other) == "" {
					t.Errorf("%s: %q has an empty value", l.Tag, id)
				}
				if m.One != "" && strings.TrimSpace(m.One) == "" || m.Many != "" && strings.TrimSpace(m.Many) == "" {
					t.Errorf("%s: %q has a blank plural form", l.Tag, id)
				}
			}
		})
	}
}

// TestPluralForms checks that each plural message has every form its
// language's CLDR rule can select, so N never falls back to "other" for it.
func TestPluralForms(t *testing.T) {
	b := testBundle(t)
	need := map[string][]string{
		"en": {"one", "other"},
		"de": {"one", "other"},
		"fr": {"one", "many", "other"},
		"es": {"one", "many", "other"},
	}
	for _, id := range b.MessageIDs("en") {
		if len(forms(b.messages["en"][id])) < 2 {
			continue // not a plural message
		}
		for _, l := range b.Languages() {
			t.Run(l.Tag+"/"+id, func(t *testing.T) {
				m, ok := b.messages[l.Tag][id]
				if !ok {
					t.Skip("id missing; reported by TestSameIDsAsEnglish")
				}
				have := forms(m)
				for _, f := range need[l.Tag] {
					if _, ok := have[f]; !ok {
						t.Errorf("%s: plural %q lacks form %q", l.Tag, id, f)
					}
				}
			})
		}
	}
}

// placeholders returns the sorted template fields used in any form of m.
func placeholders(m *i18n.Message) []string {
	actionRE := regexp.MustCompile(`\{\{.*?\}\}`)
	fieldRE := regexp.MustCompile(`\.[A-Za-z_][A-Za-z0-9_]*`)
	var out []string
	for _, text := range forms(m) {
		for _, action := range actionRE.FindAllString(text, -1) {
			for _, f := range fieldRE.FindAllString(action, -1) {
				if !slices.Contains(out, f) {
					out = append(out, f)
				}
			}
		}
	}
	slices.Sort(out)
	return out
}

func TestPlaceholdersHelper(t *testing.T) {
	tests := []struct {
		name string
		msg  *i18n.Message
		want []string
	}{
		{"none", &i18n.Message{Other: "Hello"}, nil},
		{"one field", &i18n.Message{Other: "Hello {{.Name}}"}, []string{".Name"}},
		{"spaces and plural", &i18n.Message{One: "{{ .Count }} item", Other: "{{.Count}} items for {{.Client}}"}, []string{".Client", ".Count"}},
		{"pipeline", &i18n.Message{Other: "{{if .Late}}late{{end}} {{.Name | printf \"%s\"}}"}, []string{".Late", ".Name"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := placeholders(tt.msg); !slices.Equal(got, tt.want) {
				t.Errorf("placeholders = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestPlaceholdersMatchEnglish(t *testing.T) {
	b := testBundle(t)
	for _, l := range b.Languages() {
		if l.Tag == "en" {
			continue
		}
		t.Run(l.Tag, func(t *testing.T) {
			for _, id := range b.MessageIDs("en") {
				m, ok := b.messages[l.Tag][id]
				if !ok {
					continue // reported by TestSameIDsAsEnglish
				}
				want := placeholders(b.messages["en"][id])
				if got := placeholders(m); !slices.Equal(got, want) {
					t.Errorf("%s: %q uses placeholders %v, English uses %v", l.Tag, id, got, want)
				}
			}
		})
	}
}
