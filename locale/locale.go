// Package locale loads WorkRate's embedded message catalogues and provides
// per-language localizers for messages, plurals, dates, numbers and money.
//
// Message files live in messages/<lang>/*.toml (one directory per supported
// language, any number of .toml files in each). Every .toml file in a
// language directory is loaded. Message ids are dotted ("nav.tickets") and
// must be written as QUOTED TOML keys; see the comment at the top of
// messages/en/common.toml. New rejects files that break this rule.
package locale

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strings"
	"text/template"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"github.com/pelletier/go-toml/v2"
	"golang.org/x/text/language"
)

// DefaultLang is the source language and the final fallback of Match and T.
const DefaultLang = "en"

// messagesDir is the root of the embedded message files.
const messagesDir = "messages"

//go:embed messages
var embeddedMessages embed.FS

// Language describes one supported language.
type Language struct {
	// Tag is the BCP 47 tag used throughout the application, e.g. "de".
	Tag string
	// Name is the language's own name for itself, e.g. "Deutsch".
	Name string
}

// langSpec holds the fixed, per-language settings of a supported language.
type langSpec struct {
	lang        Language
	date        string // Go time layout used by Localizer.Date
	dateTime    string // Go time layout used by Localizer.DateTime
	symbolFirst bool   // currency symbol before the amount ($1.00) or after (1,00 €)
}

// specs returns the supported languages, English first.
//
// Date layouts are deliberately simple and deterministic:
//
//	en  Jan 2, 2006      Jan 2, 2006, 3:04 PM
//	de  02.01.2006       02.01.2006, 15:04
//	fr  02/01/2006       02/01/2006 15:04
//	es  02/01/2006       02/01/2006, 15:04
func specs() []langSpec {
	return []langSpec{
		{Language{"en", "English"}, "Jan 2, 2006", "Jan 2, 2006, 3:04 PM", true},
		{Language{"de", "Deutsch"}, "02.01.2006", "02.01.2006, 15:04", false},
		{Language{"fr", "Français"}, "02/01/2006", "02/01/2006 15:04", false},
		{Language{"es", "Español"}, "02/01/2006", "02/01/2006, 15:04", false},
	}
}

// Bundle holds all loaded messages and one ready Localizer per supported
// language. It is immutable after New and safe for concurrent use.
type Bundle struct {
	langs      []Language
	matcher    language.Matcher
	localizers map[string]*Localizer
	// messages maps lang -> message id -> message, as loaded from the files.
	messages map[string]map[string]*i18n.Message
}

// New loads every embedded message file and returns a ready Bundle.
func New() (*Bundle, error) {
	sub, err := fs.Sub(embeddedMessages, messagesDir)
	if err != nil {
		return nil, fmt.Errorf("locale: open embedded messages: %w", err)
	}
	return newFromFS(sub)
}

// MustNew is like New but panics on error; meant for main and tests.
func MustNew() *Bundle {
	b, err := New()
	if err != nil {
		panic(err)
	}
	return b
}

// newFromFS loads a bundle from fsys laid out as <lang>/*.toml.
func newFromFS(fsys fs.FS) (*Bundle, error) {
	sp := specs()
	supported := make(map[string]bool, len(sp))
	tags := make([]language.Tag, 0, len(sp))
	langs := make([]Language, 0, len(sp))
	for _, s := range sp {
		supported[s.lang.Tag] = true
		tags = append(tags, language.MustParse(s.lang.Tag))
		langs = append(langs, s.lang)
	}

	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("locale: read messages directory: %w", err)
	}
	for _, e := range entries {
		if !e.IsDir() || !supported[e.Name()] {
			return nil, fmt.Errorf("locale: unexpected entry %q in messages/: only directories of supported languages %v are allowed", e.Name(), tagsOf(langs))
		}
	}

	ib := i18n.NewBundle(language.English)
	b := &Bundle{
		langs:      langs,
		matcher:    language.NewMatcher(tags),
		localizers: make(map[string]*Localizer, len(sp)),
		messages:   make(map[string]map[string]*i18n.Message, len(sp)),
	}
	for i, s := range sp {
		msgs, err := loadLanguage(fsys, s.lang.Tag)
		if err != nil {
			return nil, err
		}
		list := make([]*i18n.Message, 0, len(msgs))
		for _, id := range sortedKeys(msgs) {
			list = append(list, msgs[id])
		}
		if err := ib.AddMessages(tags[i], list...); err != nil {
			return nil, fmt.Errorf("locale: add %s messages: %w", s.lang.Tag, err)
		}
		b.messages[s.lang.Tag] = msgs
	}
	// Localizers are built only after every message has been added: go-i18n
	// bundles must not be modified while localizers read from them.
	var plainIDs []string
	for id, m := range b.messages[DefaultLang] {
		if isPlain(m) {
			plainIDs = append(plainIDs, id)
		}
	}
	for i, s := range sp {
		b.localizers[s.lang.Tag] = newLocalizer(ib, s, tags[i], plainIDs)
	}
	return b, nil
}

// loadLanguage parses every .toml file in fsys/<lang> and returns its
// messages by id; ids must be unique across the language's files.
func loadLanguage(fsys fs.FS, lang string) (map[string]*i18n.Message, error) {
	entries, err := fs.ReadDir(fsys, lang)
	if err != nil {
		return nil, fmt.Errorf("locale: read messages/%s: %w", lang, err)
	}
	msgs := make(map[string]*i18n.Message)
	origin := make(map[string]string)
	files := 0
	for _, e := range entries {
		name := path.Join(lang, e.Name())
		if e.IsDir() || path.Ext(e.Name()) != ".toml" {
			return nil, fmt.Errorf("locale: unexpected entry messages/%s: only .toml files are allowed", name)
		}
		files++
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("locale: read messages/%s: %w", name, err)
		}
		list, err := parseFile(data)
		if err != nil {
			return nil, fmt.Errorf("locale: parse messages/%s: %w", name, err)
		}
		for _, m := range list {
			if prev, dup := origin[m.ID]; dup {
				return nil, fmt.Errorf("locale: message id %q defined in both messages/%s and messages/%s", m.ID, prev, name)
			}
			origin[m.ID] = name
			msgs[m.ID] = m
		}
	}
	if files == 0 {
		return nil, fmt.Errorf("locale: messages/%s contains no .toml files", lang)
	}
	return msgs, nil
}

// parseFile validates the layout of one TOML message file and parses it
// with go-i18n.
func parseFile(data []byte) ([]*i18n.Message, error) {
	var raw map[string]any
	if err := toml.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("invalid TOML: %w", err)
	}
	for _, id := range sortedKeys(raw) {
		if err := checkEntry(id, raw[id]); err != nil {
			return nil, err
		}
	}
	msgs, err := i18n.ParseMessageBytes(data, toml.Unmarshal)
	if err != nil {
		return nil, fmt.Errorf("go-i18n: %w", err)
	}
	return msgs, nil
}

// pluralKeys are the plural forms a message table may hold.
func pluralKeys() []string {
	return []string{"zero", "one", "two", "few", "many", "other"}
}

// metaKeys are the non-form keys a message table may hold.
func metaKeys() []string {
	return []string{"description", "hash", "leftdelim", "rightdelim"}
}

// checkEntry reports whether one top-level TOML entry is a well-formed
// message: a string, or a table of plural forms that includes "other".
// A table with other keys almost always comes from an unquoted dotted id
// (nav.tickets = "..." parses as [nav] tickets = "..."), which go-i18n
// would misread as soon as a leaf is named like a plural form.
func checkEntry(id string, v any) error {
	switch val := v.(type) {
	case string:
		return checkTemplate(id, val)
	case map[string]any:
		hasOther := false
		for _, k := range sortedKeys(val) {
			lk := strings.ToLower(k)
			isForm := slices.Contains(pluralKeys(), lk)
			if !isForm && !slices.Contains(metaKeys(), lk) {
				return fmt.Errorf("id %q: table key %q is not a plural form: message ids must be quoted TOML keys, e.g. %q = \"...\", "+
					"and plain ids must come before any [\"plural.table\"] header (see messages/en/common.toml)", id, k, id+"."+k)
			}
			s, ok := val[k].(string)
			if !ok {
				return fmt.Errorf("id %q: value of %q must be a string, got %T", id, k, val[k])
			}
			if isForm {
				if err := checkTemplate(id+"."+k, s); err != nil {
					return err
				}
			}
			if lk == "other" {
				hasOther = true
			}
		}
		if !hasOther {
			return fmt.Errorf("id %q: plural table needs an \"other\" form", id)
		}
		return nil
	default:
		return fmt.Errorf("id %q: value must be a string or a plural table, got %T", id, v)
	}
}

// checkTemplate makes sure a message text is a valid text/template.
func checkTemplate(id, src string) error {
	if !strings.Contains(src, "{{") {
		return nil
	}
	if _, err := template.New(id).Parse(src); err != nil {
		return fmt.Errorf("id %q: invalid template: %w", id, err)
	}
	return nil
}

// Languages returns the supported languages, English first.
func (b *Bundle) Languages() []Language {
	return slices.Clone(b.langs)
}

// Supported reports whether tag is exactly one of the supported language tags.
func (b *Bundle) Supported(tag string) bool {
	_, ok := b.localizers[tag]
	return ok
}

// Match returns the first supported language found in candidates, or "en".
//
// Candidates are tried in order — typically the user's saved choice, the
// agency default, then the raw Accept-Language header — and empty ones are
// skipped. Each candidate is either a language tag ("de", "de-CH") or an
// Accept-Language value ("fr-CH, fr;q=0.9, en;q=0.8"), parsed with
// golang.org/x/text/language and matched by quality order, so de-CH gives
// "de" and en-GB gives "en". A candidate with no usable language ("xx",
// "*", garbage) falls through to the next one.
func (b *Bundle) Match(candidates ...string) string {
	for _, c := range candidates {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		if lc := strings.ToLower(c); b.Supported(lc) {
			return lc
		}
		tags := parseAcceptLanguage(c)
		if len(tags) == 0 {
			continue
		}
		_, i, conf := b.matcher.Match(tags...)
		if conf == language.No {
			continue
		}
		return b.langs[i].Tag
	}
	return DefaultLang
}

// parseAcceptLanguage parses an Accept-Language value ordered by quality.
// If the whole value does not parse (one unknown subtag is enough for
// x/text to reject it), the comma-separated parts are parsed one by one
// and the bad ones dropped.
func parseAcceptLanguage(s string) []language.Tag {
	tags, _, err := language.ParseAcceptLanguage(s)
	if err == nil {
		return tags
	}
	type weighted struct {
		tag language.Tag
		q   float32
	}
	var ws []weighted
	for part := range strings.SplitSeq(s, ",") {
		t, q, err := language.ParseAcceptLanguage(part)
		if err != nil || len(t) != 1 {
			continue
		}
		ws = append(ws, weighted{t[0], q[0]})
	}
	sort.SliceStable(ws, func(i, j int) bool { return ws[i].q > ws[j].q })
	out := make([]language.Tag, 0, len(ws))
	for _, w := range ws {
		out = append(out, w.tag)
	}
	return out
}

// Localizer returns the cached Localizer for lang. A lang that is not an
// exact supported tag is resolved with Match, so "de-CH" gives the German
// and "" or "xx" the English localizer; the result is never nil.
func (b *Bundle) Localizer(lang string) *Localizer {
	if l, ok := b.localizers[lang]; ok {
		return l
	}
	return b.localizers[b.Match(lang)]
}

// MessageIDs returns the sorted message ids defined for lang (nil when lang
// is not supported).
func (b *Bundle) MessageIDs(lang string) []string {
	msgs, ok := b.messages[lang]
	if !ok {
		return nil
	}
	return sortedKeys(msgs)
}

// sortedKeys returns the keys of m in ascending order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// tagsOf returns the tags of langs.
func tagsOf(langs []Language) []string {
	out := make([]string, 0, len(langs))
	for _, l := range langs {
		out = append(out, l.Tag)
	}
	return out
}
