package locale

import (
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/nicksnyder/go-i18n/v2/i18n"
)

// fallbackBundle returns a bundle where German lacks some English ids.
func fallbackBundle(t *testing.T) *Bundle {
	t.Helper()
	b, err := newFromFS(minimalFS(map[string]string{
		"en/common.toml": "\"app.language\" = \"Language\"\n" +
			"\"only.en\" = \"Welcome, {{.Name}}\"\n" +
			"[\"only.en.count\"]\none = \"{{.Count}} file\"\nother = \"{{.Count}} files\"\n",
		"de/common.toml": "\"app.language\" = \"Sprache\"\n",
	}))
	if err != nil {
		t.Fatalf("newFromFS: %v", err)
	}
	return b
}

func TestTFallback(t *testing.T) {
	b := fallbackBundle(t)
	tests := []struct {
		name string
		lang string
		id   string
		args []any
		want string
	}{
		{"own language", "de", "app.language", nil, "Sprache"},
		{"missing in de falls back to en", "de", "only.en", []any{"Name", "Acme"}, "Welcome, Acme"},
		{"missing everywhere returns id", "de", "no.such.id", nil, "no.such.id"},
		{"missing in en returns id", "en", "no.such.id", nil, "no.such.id"},
		{"empty id", "en", "", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := b.Localizer(tt.lang).T(tt.id, tt.args...); got != tt.want {
				t.Errorf("T(%q) in %s = %q, want %q", tt.id, tt.lang, got, tt.want)
			}
		})
	}
	t.Run("N falls back to en", func(t *testing.T) {
		if got, want := b.Localizer("de").N("only.en.count", 2), "2 files"; got != want {
			t.Errorf("N = %q, want %q", got, want)
		}
		if got, want := b.Localizer("de").N("no.such.id", 2), "no.such.id"; got != want {
			t.Errorf("N = %q, want %q", got, want)
		}
	})
}

func TestTArgs(t *testing.T) {
	b := fallbackBundle(t)
	l := b.Localizer("en")
	tests := []struct {
		name string
		args []any
		want string
	}{
		{"pair", []any{"Name", "Acme"}, "Welcome, Acme"},
		{"extra pairs ignored by template", []any{"Name", "Acme", "Other", 1}, "Welcome, Acme"},
		{"dangling key ignored", []any{"Name", "Acme", "Dangling"}, "Welcome, Acme"},
		{"non-string value", []any{"Name", 42}, "Welcome, 42"},
		{"no args never panics", nil, "Welcome, <no value>"},
		{"non-string key", []any{7, "x"}, "Welcome, <no value>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := l.T("only.en", tt.args...); got != tt.want {
				t.Errorf("T(only.en, %v) = %q, want %q", tt.args, got, tt.want)
			}
		})
	}
}

func TestRealMessagesNeverReturnIDs(t *testing.T) {
	b := testBundle(t)
	for _, l := range b.Languages() {
		loc := b.Localizer(l.Tag)
		t.Run(l.Tag, func(t *testing.T) {
			for _, id := range b.MessageIDs("en") {
				if got := loc.N(id, 3); got == id || got == "" {
					t.Errorf("%s: %q renders as %q", l.Tag, id, got)
				}
			}
			if got := loc.T("does.not.exist"); got != "does.not.exist" {
				t.Errorf("%s: missing id renders as %q", l.Tag, got)
			}
		})
	}
}

func TestN(t *testing.T) {
	b := testBundle(t)
	tests := []struct {
		lang  string
		count int
		want  string
	}{
		{"en", 0, "0 open tickets"},
		{"en", 1, "1 open ticket"},
		{"en", 2, "2 open tickets"},
		{"de", 0, "0 offene Tickets"},
		{"de", 1, "1 offenes Ticket"},
		{"de", 2, "2 offene Tickets"},
		{"fr", 0, "0 ticket ouvert"},
		{"fr", 1, "1 ticket ouvert"},
		{"fr", 2, "2 tickets ouverts"},
		{"fr", 1000000, "1000000 de tickets ouverts"},
		{"es", 0, "0 tickets abiertos"},
		{"es", 1, "1 ticket abierto"},
		{"es", 2, "2 tickets abiertos"},
		{"es", 1000000, "1000000 de tickets abiertos"},
	}
	for _, tt := range tests {
		t.Run(tt.lang+"/"+strconv.Itoa(tt.count), func(t *testing.T) {
			if got := b.Localizer(tt.lang).N("tickets.open_count", tt.count); got != tt.want {
				t.Errorf("N(tickets.open_count, %d) in %s = %q, want %q", tt.count, tt.lang, got, tt.want)
			}
		})
	}
}

// TestConcurrentUse hammers shared localizers from many goroutines; run it
// with -race to check the concurrency claim on Localizer.
func TestConcurrentUse(t *testing.T) {
	b := testBundle(t)
	day := time.Date(2026, 3, 4, 5, 6, 0, 0, time.UTC)
	type result struct{ t, n, money, date, num string }
	render := func(l *Localizer, i int) result {
		return result{
			t:     l.T("nav.tickets"),
			n:     l.N("tickets.open_count", i%3),
			money: l.Money(int64(i)*101, "EUR"),
			date:  l.DateTime(day),
			num:   l.Number(int64(i) * 1000),
		}
	}
	const workers, rounds = 8, 200
	want := make(map[string][]result)
	for _, l := range b.Languages() {
		for i := range rounds {
			want[l.Tag] = append(want[l.Tag], render(b.Localizer(l.Tag), i))
		}
	}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range rounds {
				lang := b.Languages()[(w+i)%4].Tag
				if got := render(b.Localizer(lang), i); got != want[lang][i] {
					t.Errorf("worker %d, %s round %d: got %+v, want %+v", w, lang, i, got, want[lang][i])
					return
				}
			}
		})
	}
	wg.Wait()
}

// A message without template actions or plurals is rendered once: T answers
// it from memory, without allocating, exactly as go-i18n renders it.
func TestPlainMessagesComeFromMemory(t *testing.T) {
	b := MustNew()
	for _, lang := range []string{"en", "de", "fr", "es"} {
		l := b.Localizer(lang)
		if len(l.plain) < 100 {
			t.Fatalf("%s: only %d plain messages cached", lang, len(l.plain))
		}
		for id, text := range l.plain {
			if want := l.localize(id, &i18n.LocalizeConfig{MessageID: id}); text != want {
				t.Fatalf("%s %s: cached %q, go-i18n renders %q", lang, id, text, want)
			}
		}
		if n := testing.AllocsPerRun(100, func() { _ = l.T("nav.tickets") }); n != 0 {
			t.Errorf("%s: T of a plain message allocates %.0f times", lang, n)
		}
	}
	// Messages with data or plurals are not cached, and rendered with their data.
	fb := fallbackBundle(t).Localizer("de")
	for _, id := range []string{"only.en", "only.en.count"} {
		if _, cached := fb.plain[id]; cached {
			t.Errorf("%s is cached", id)
		}
	}
	if got := fb.T("only.en", "Name", "Acme"); got != "Welcome, Acme" {
		t.Errorf("templated message = %q", got)
	}
}
