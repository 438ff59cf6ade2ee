package locale

import (
	"os"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// testBundle returns the real embedded bundle, failing the test on error.
func testBundle(t *testing.T) *Bundle {
	t.Helper()
	b, err := New()
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return b
}

// minimalFS returns a valid message tree with one file per language;
// extra entries are added or replace existing ones.
func minimalFS(extra map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for _, l := range []string{"en", "de", "fr", "es"} {
		fsys[l+"/common.toml"] = &fstest.MapFile{Data: []byte(`"app.language" = "x"` + "\n")}
	}
	for name, data := range extra {
		if data == "" {
			delete(fsys, name)
			continue
		}
		fsys[name] = &fstest.MapFile{Data: []byte(data)}
	}
	return fsys
}

func TestNewLoadsEmbeddedMessages(t *testing.T) {
	b := testBundle(t)
	if got := MustNew(); got == nil {
		t.Fatal("MustNew returned nil")
	}
	tests := []struct {
		lang string
		id   string
		want string
	}{
		{"en", "nav.logout", "Log out"},
		{"de", "nav.logout", "Abmelden"},
		{"fr", "nav.logout", "Se déconnecter"},
		{"es", "nav.logout", "Cerrar sesión"},
		{"de", "error.not_found.title", "Seite nicht gefunden"},
		{"fr", "common.previous", "Précédent"},
	}
	for _, tt := range tests {
		t.Run(tt.lang+"/"+tt.id, func(t *testing.T) {
			if got := b.Localizer(tt.lang).T(tt.id); got != tt.want {
				t.Errorf("T(%q) in %s = %q, want %q", tt.id, tt.lang, got, tt.want)
			}
		})
	}
}

func TestLanguages(t *testing.T) {
	b := testBundle(t)
	want := []Language{{"en", "English"}, {"de", "Deutsch"}, {"fr", "Français"}, {"es", "Español"}}
	got := b.Languages()
	if !slices.Equal(got, want) {
		t.Fatalf("Languages() = %v, want %v", got, want)
	}
	got[0].Name = "changed"
	if b.Languages()[0].Name != "English" {
		t.Error("Languages() exposes the bundle's internal slice")
	}
}

func TestSupported(t *testing.T) {
	b := testBundle(t)
	tests := []struct {
		tag  string
		want bool
	}{
		{"en", true}, {"de", true}, {"fr", true}, {"es", true},
		{"", false}, {"it", false}, {"de-CH", false}, {"EN", false}, {"en ", false},
	}
	for _, tt := range tests {
		t.Run(tt.tag, func(t *testing.T) {
			if got := b.Supported(tt.tag); got != tt.want {
				t.Errorf("Supported(%q) = %v, want %v", tt.tag, got, tt.want)
			}
		})
	}
}

func TestMatch(t *testing.T) {
	b := testBundle(t)
	tests := []struct {
		name       string
		candidates []string
		want       string
	}{
		{"no candidates", nil, "en"},
		{"all empty", []string{"", " ", ""}, "en"},
		{"exact tag", []string{"de"}, "de"},
		{"upper case tag", []string{"DE"}, "de"},
		{"user choice wins", []string{"es", "de", "fr"}, "es"},
		{"unsupported falls to next", []string{"xx", "fr"}, "fr"},
		{"empty user choice uses agency default", []string{"", "es", "de"}, "es"},
		{"header only", []string{"", "", "fr-CH, fr;q=0.9, en;q=0.8"}, "fr"},
		{"regional de-AT", []string{"de-AT"}, "de"},
		{"regional de-CH", []string{"de-CH"}, "de"},
		{"regional en-GB", []string{"en-GB"}, "en"},
		{"regional es-MX in header", []string{"es-MX,en;q=0.5"}, "es"},
		{"quality order beats header order", []string{"de;q=0.5, fr"}, "fr"},
		{"first supported in header", []string{"pt-BR, de;q=0.9, en;q=0.8"}, "de"},
		{"wildcard alone", []string{"*"}, "en"},
		{"wildcard falls to next", []string{"*", "de"}, "de"},
		{"unsupported header falls to next", []string{"pt-BR", "es"}, "es"},
		{"unknown subtag does not spoil header", []string{"xx, de;q=0.8"}, "de"},
		{"garbage header", []string{"en-US;q=abc"}, "en"},
		{"garbage then tag", []string{"%%%", "fr"}, "fr"},
		{"zero quality ignored", []string{"de;q=0", "es"}, "es"},
		{"unknown only", []string{"xx"}, "en"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := b.Match(tt.candidates...); got != tt.want {
				t.Errorf("Match(%q) = %q, want %q", tt.candidates, got, tt.want)
			}
		})
	}
}

func TestLocalizerResolvesLanguage(t *testing.T) {
	b := testBundle(t)
	tests := []struct {
		lang string
		want string
	}{
		{"en", "en"}, {"de", "de"}, {"fr", "fr"}, {"es", "es"},
		{"de-CH", "de"}, {"", "en"}, {"xx", "en"}, {"fr-CA, en;q=0.5", "fr"},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			l := b.Localizer(tt.lang)
			if l == nil {
				t.Fatalf("Localizer(%q) = nil", tt.lang)
			}
			if got := l.Lang(); got != tt.want {
				t.Errorf("Localizer(%q).Lang() = %q, want %q", tt.lang, got, tt.want)
			}
		})
	}
	if first, again := b.Localizer("de"), b.Localizer("de"); first != again {
		t.Error("Localizer is not cached per language")
	}
}

func TestMessageIDs(t *testing.T) {
	b := testBundle(t)
	ids := b.MessageIDs("en")
	if !slices.IsSorted(ids) {
		t.Errorf("MessageIDs not sorted: %v", ids)
	}
	for _, id := range []string{"app.language", "nav.tickets", "error.server.body", "tickets.open_count", "common.none_yet"} {
		if !slices.Contains(ids, id) {
			t.Errorf("MessageIDs(en) lacks %q", id)
		}
	}
	if got := b.MessageIDs("it"); got != nil {
		t.Errorf("MessageIDs(it) = %v, want nil", got)
	}
}

func TestLoadsEveryFileOfALanguage(t *testing.T) {
	fsys := minimalFS(map[string]string{
		"en/portal.toml": `"portal.title" = "Client portal"`,
		"en/staff.toml":  `"staff.title" = "Staff area"`,
	})
	b, err := newFromFS(fsys)
	if err != nil {
		t.Fatalf("newFromFS: %v", err)
	}
	want := []string{"app.language", "portal.title", "staff.title"}
	if got := b.MessageIDs("en"); !slices.Equal(got, want) {
		t.Errorf("MessageIDs(en) = %v, want %v", got, want)
	}
}

func TestNewRejectsBadFiles(t *testing.T) {
	tests := []struct {
		name    string
		extra   map[string]string
		wantErr string // "" means no error expected
	}{
		{"valid", nil, ""},
		{"comment-only file", map[string]string{"fr/later.toml": "# filled in later\n"}, ""},
		{"empty file", map[string]string{"fr/empty.toml": " "}, ""},
		{"valid plural table", map[string]string{"de/p.toml": "[\"a.count\"]\none = \"{{.Count}} x\"\nother = \"{{.Count}} xs\"\n"}, ""},
		{"toml syntax error", map[string]string{"de/common.toml": `"a.b" = "unterminated`}, "de/common.toml"},
		{"unquoted dotted id", map[string]string{"fr/common.toml": `nav.tickets = "Tickets"`}, "quoted"},
		{"unquoted dotted id with keyword leaf", map[string]string{"en/x.toml": "common.other = \"Other\"\ncommon.save = \"Save\"\n"}, "quoted"},
		{"table header without quotes", map[string]string{"en/x.toml": "[nav]\ntickets = \"Tickets\"\n"}, "quoted"},
		{"plural table without other", map[string]string{"en/x.toml": "[\"a.count\"]\none = \"one\"\n"}, `"other"`},
		{"id key in table", map[string]string{"en/x.toml": "[\"a.b\"]\nid = \"c\"\nother = \"x\"\n"}, "quoted"},
		{"non-string value", map[string]string{"en/x.toml": `"a.b" = 3`}, "string"},
		{"broken template", map[string]string{"es/x.toml": `"a.b" = "Hola {{.Name"`}, "template"},
		{"duplicate id across files", map[string]string{"de/x.toml": `"app.language" = "y"`}, "app.language"},
		{"missing language", map[string]string{"es/common.toml": ""}, "es"},
		{"unknown language dir", map[string]string{"it/common.toml": `"a" = "b"`}, "it"},
		{"non-toml file", map[string]string{"en/extra.json": `{}`}, "extra.json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := newFromFS(minimalFS(tt.extra))
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("newFromFS: unexpected error %v", err)
			case tt.wantErr != "" && err == nil:
				t.Fatalf("newFromFS: want error containing %q, got nil", tt.wantErr)
			case tt.wantErr != "" && !strings.Contains(err.Error(), tt.wantErr):
				t.Fatalf("newFromFS: error %q does not contain %q", err, tt.wantErr)
			}
		})
	}
}

// TestQuotedIDs guards the rule that message ids are quoted TOML keys: every
// embedded file must pass the same check New applies, and the rule must be
// documented where engineers look first.
func TestQuotedIDs(t *testing.T) {
	langDirs, err := embeddedMessages.ReadDir(messagesDir)
	if err != nil {
		t.Fatalf("read embedded messages: %v", err)
	}
	for _, d := range langDirs {
		files, err := embeddedMessages.ReadDir(messagesDir + "/" + d.Name())
		if err != nil {
			t.Fatalf("read %s: %v", d.Name(), err)
		}
		for _, f := range files {
			name := messagesDir + "/" + d.Name() + "/" + f.Name()
			t.Run(name, func(t *testing.T) {
				data, err := embeddedMessages.ReadFile(name)
				if err != nil {
					t.Fatalf("read: %v", err)
				}
				if _, err := parseFile(data); err != nil {
					t.Errorf("%s: %v", name, err)
				}
			})
		}
	}
	t.Run("documented in en/common.toml", func(t *testing.T) {
		data, err := os.ReadFile("messages/en/common.toml")
		if err != nil {
			t.Fatalf("read: %v", err)
		}
		head := string(data)
		if i := strings.Index(head, "\n\""); i >= 0 {
			head = head[:i] // only the comment block before the first id
		}
		for _, want := range []string{"README", "QUOTED", `"nav.tickets" = "Tickets"`} {
			if !strings.Contains(head, want) {
				t.Errorf("README comment at the top of en/common.toml lacks %q", want)
			}
		}
	})
}
