package locale

import (
	"fmt"
	"strings"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// Localizer translates messages and formats values for one language.
//
// Localizers are created once per language by New and shared; get one per
// request with Bundle.Localizer. A Localizer is immutable and safe for
// concurrent use. go-i18n does not document i18n.Localizer as safe for
// concurrent use, but its source (v2.7.0: i18n/localizer.go, bundle.go,
// internal/template.go) shows Localize only reads the bundle's maps and
// matcher, parses each message template once under a sync.Once and executes
// text/template (safe for concurrent Execute); the only hazard it documents
// is modifying the i18n.Bundle while localizers read it, which this package
// never does after New. x/text's message.Printer copies itself into a pooled
// per-call state, so sharing it is safe too. TestConcurrentUse checks this
// under -race.
type Localizer struct {
	lang        string
	loc         *i18n.Localizer
	printer     *message.Printer
	date        string
	dateTime    string
	symbolFirst bool
	// plain holds the text of every message without template actions or
	// plural forms, rendered once: most T calls (labels, buttons, badges)
	// are a map read instead of a text/template execution.
	plain map[string]string
}

// newLocalizer builds the Localizer of one supported language; plainIDs are
// the messages T may answer from memory.
func newLocalizer(b *i18n.Bundle, s langSpec, tag language.Tag, plainIDs []string) *Localizer {
	l := &Localizer{
		lang:        s.lang.Tag,
		loc:         i18n.NewLocalizer(b, s.lang.Tag),
		printer:     message.NewPrinter(tag),
		date:        s.date,
		dateTime:    s.dateTime,
		symbolFirst: s.symbolFirst,
		plain:       make(map[string]string, len(plainIDs)),
	}
	for _, id := range plainIDs {
		l.plain[id] = l.localize(id, &i18n.LocalizeConfig{MessageID: id})
	}
	return l
}

// isPlain reports whether m renders the same whatever the data: no plural
// forms and no template actions.
func isPlain(m *i18n.Message) bool {
	return m.Zero == "" && m.One == "" && m.Two == "" && m.Few == "" && m.Many == "" && !strings.Contains(m.Other, "{{")
}

// Lang returns the localizer's language tag, e.g. "de".
func (l *Localizer) Lang() string {
	return l.lang
}

// T returns the message id rendered with args, optional key/value pairs
// ("Name", "Acme") that become the template data ({{.Name}}). A message
// missing in this language falls back to English; one missing in English
// too (or that fails to render) yields the id itself. T never panics.
func (l *Localizer) T(id string, args ...any) string {
	if len(args) == 0 {
		if text, ok := l.plain[id]; ok {
			return text
		}
	}
	return l.localize(id, &i18n.LocalizeConfig{
		MessageID:    id,
		TemplateData: templateData(args),
	})
}

// N returns the plural form of message id for count (CLDR rules via
// go-i18n), with {{.Count}} set to the plain int count and args as in T.
// It falls back like T.
func (l *Localizer) N(id string, count int, args ...any) string {
	data := templateData(args)
	if data == nil {
		data = make(map[string]any, 1)
	}
	data["Count"] = count
	return l.localize(id, &i18n.LocalizeConfig{
		MessageID:    id,
		TemplateData: data,
		PluralCount:  count,
	})
}

// localize runs go-i18n and maps every failure to the best available text.
func (l *Localizer) localize(id string, cfg *i18n.LocalizeConfig) (out string) {
	defer func() {
		if recover() != nil {
			out = id
		}
	}()
	// go-i18n returns the English text together with a MessageNotFoundErr
	// when it fell back, and "" with an error when nothing could be found.
	msg, err := l.loc.Localize(cfg)
	if msg == "" && err != nil {
		return id
	}
	return msg
}

// templateData turns key/value pairs into template data. Non-string keys
// are formatted with fmt; a trailing key without a value is ignored.
func templateData(args []any) map[string]any {
	if len(args) < 2 {
		return nil
	}
	data := make(map[string]any, len(args)/2)
	for i := 0; i+1 < len(args); i += 2 {
		key, ok := args[i].(string)
		if !ok {
			key = fmt.Sprint(args[i])
		}
		data[key] = args[i+1]
	}
	return data
}
