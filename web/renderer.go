package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"path"
	"strings"
	"sync"

	"github.com/gin-gonic/gin"

	"workrate/branding"
	"workrate/formtoken"
	"workrate/locale"
	"workrate/store"
)

//go:embed templates
var templateFS embed.FS

// Renderer renders pages from templates parsed once at start-up.
type Renderer struct {
	pages  map[string]map[string]*template.Template // language → page → template
	assets *Assets
	bundle *locale.Bundle
	bufs   sync.Pool
}

// NewRenderer parses every template: layout/*.html are shared, every other
// file is a page named by its path without ".html" ("portal/tickets").
//
// Templates are parsed once per language, with T, N and the formatting
// functions (Date, DateTime, DateString, Money, Number, Quantity) bound to
// that language's localizer: {{T "id"}} is a function call, where a method
// on the view ({{.T "id"}}) made text/template look the method up by
// reflection on every call, the largest part of rendering a page.
func NewRenderer(bundle *locale.Bundle, assets *Assets) (*Renderer, error) {
	r := &Renderer{pages: map[string]map[string]*template.Template{}, assets: assets, bundle: bundle}
	r.bufs.New = func() any { return new(bytes.Buffer) }
	for _, lang := range bundle.Languages() {
		pages, err := r.parse(bundle.Localizer(lang.Tag))
		if err != nil {
			return nil, err
		}
		r.pages[lang.Tag] = pages
	}
	return r, nil
}

// parse parses every page with the functions of localizer l.
func (r *Renderer) parse(l *locale.Localizer) (map[string]*template.Template, error) {
	pages := map[string]*template.Template{}
	base := template.New("").Funcs(r.funcs()).Funcs(localized(l))
	base, err := base.ParseFS(templateFS, "templates/layout/*.html")
	if err != nil {
		return nil, fmt.Errorf("web: parse layout: %w", err)
	}
	err = fs.WalkDir(templateFS, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") || strings.HasPrefix(p, "templates/layout/") {
			return err
		}
		t, err := base.Clone()
		if err != nil {
			return err
		}
		if _, err := t.ParseFS(templateFS, p); err != nil {
			return fmt.Errorf("web: parse %s: %w", p, err)
		}
		pages[strings.TrimSuffix(strings.TrimPrefix(p, "templates/"), ".html")] = t
		return nil
	})
	if err != nil {
		return nil, err
	}
	return pages, nil
}

// localized returns the template functions of localizer l.
func localized(l *locale.Localizer) template.FuncMap {
	return template.FuncMap{
		"T":          l.T,
		"N":          l.N,
		"Date":       l.Date,
		"DateTime":   l.DateTime,
		"DateString": l.DateString,
		"Money":      l.Money,
		"Number":     l.Number,
		"Quantity":   l.Quantity,
	}
}

// Pages returns the names of every page template, for tests that render them all.
func (r *Renderer) Pages() []string {
	names := make([]string, 0, len(r.pages[locale.DefaultLang]))
	for n := range r.pages[locale.DefaultLang] {
		names = append(names, n)
	}
	return names
}

// Bundle returns the message bundle pages are localized with.
func (r *Renderer) Bundle() *locale.Bundle { return r.bundle }

// Assets returns the static assets.
func (r *Renderer) Assets() *Assets { return r.assets }

func (r *Renderer) funcs() template.FuncMap {
	return template.FuncMap{
		"asset": func(name string) string { return r.assets.URL(name) },
		// lines shows text as paragraphs with line breaks, never as HTML.
		"lines": func(s string) template.HTML {
			esc := template.HTMLEscapeString(strings.ReplaceAll(s, "\r\n", "\n"))
			return template.HTML(strings.ReplaceAll(esc, "\n", "<br>"))
		},
		"themeURL": func(b branding.Brand) string {
			return "/brand/theme/" + strings.TrimPrefix(b.Color, "#") + "-" + strings.TrimPrefix(b.TextColor, "#") + ".css"
		},
		"dict": func(kv ...any) (map[string]any, error) {
			if len(kv)%2 != 0 {
				return nil, errors.New("dict: odd number of arguments")
			}
			m := make(map[string]any, len(kv)/2)
			for i := 0; i < len(kv); i += 2 {
				k, ok := kv[i].(string)
				if !ok {
					return nil, errors.New("dict: key is not a string")
				}
				m[k] = kv[i+1]
			}
			return m, nil
		},
		"add": func(a, b int) int { return a + b },
		// formToken is the hidden one-time token of a form that writes.
		"formToken": formtoken.Input,
		"initial": func(s string) string {
			for _, r := range strings.TrimSpace(s) {
				return strings.ToUpper(string(r))
			}
			return ""
		},
		"contains": func(list []string, s string) bool {
			for _, x := range list {
				if x == s {
					return true
				}
			}
			return false
		},
	}
}

// Frame fills the parts of v that come from the request: brand, localizer,
// language, viewer and path.
func (r *Renderer) Frame(c *gin.Context, v *Base) {
	if b, ok := BrandOf(c); ok && v.Brand.Name == "" {
		v.Brand = b
	}
	if v.L == nil {
		v.L = LocalizerOf(c)
		if v.L == nil {
			v.L = r.bundle.Localizer("en")
		}
	}
	v.Lang = v.L.Lang()
	if v.Languages == nil {
		v.Languages = r.bundle.Languages()
	}
	if v.Viewer == nil {
		v.Viewer = ViewerOf(c)
	}
	if v.Path == "" {
		v.Path = c.Request.URL.Path
	}
	if v.Surface == "" {
		v.Surface = SurfacePublic
	}
}

// HTML renders page with status and data p. Authenticated pages are never cached.
func (r *Renderer) HTML(c *gin.Context, status int, page string, p Page) error {
	v := p.frame()
	r.Frame(c, v)
	t, ok := r.pages[v.Lang][page]
	if !ok {
		return fmt.Errorf("web: no page template %q in %q", page, v.Lang)
	}
	buf := r.bufs.Get().(*bytes.Buffer)
	buf.Reset()
	defer r.bufs.Put(buf)
	if err := t.ExecuteTemplate(buf, "base", p); err != nil {
		return fmt.Errorf("web: render %s: %w", page, err)
	}
	if v.Viewer != nil {
		c.Header("Cache-Control", "no-store")
	}
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
	return nil
}

// Content renders only the content of page (its "content" template) for p,
// framed like HTML would: a page's content can be kept and shown later
// through Base.Content.
func (r *Renderer) Content(c *gin.Context, page string, p Page) (template.HTML, error) {
	v := p.frame()
	r.Frame(c, v)
	t, ok := r.pages[v.Lang][page]
	if !ok {
		return "", fmt.Errorf("web: no page template %q in %q", page, v.Lang)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "content", p); err != nil {
		return "", fmt.Errorf("web: render the content of %s: %w", page, err)
	}
	return template.HTML(buf.String()), nil // escaped by html/template as it rendered
}

// StatusError is an error that carries the HTTP status to answer with.
type StatusError struct {
	Status int
	Err    error
}

func (e *StatusError) Error() string {
	if e.Err == nil {
		return http.StatusText(e.Status)
	}
	return e.Err.Error()
}

func (e *StatusError) Unwrap() error { return e.Err }

// Status wraps err so that Page answers with status.
func Status(status int, err error) error { return &StatusError{Status: status, Err: err} }

// ErrNotFound is answered as the branded 404 page.
var ErrNotFound = Status(http.StatusNotFound, nil)

// Page adapts a handler that returns an error: known errors become their page,
// anything else is logged and shown as the branded 500 page, never as its text.
func (r *Renderer) Page(notFound ...error) func(func(*gin.Context) error) gin.HandlerFunc {
	return func(f func(*gin.Context) error) gin.HandlerFunc {
		return func(c *gin.Context) {
			err := f(c)
			if err == nil {
				return
			}
			for _, nf := range notFound {
				if errors.Is(err, nf) {
					r.Error(c, http.StatusNotFound)
					return
				}
			}
			r.Fail(c, err)
		}
	}
}

// Fail answers an error no handler expected: the 503 page (with Retry-After)
// when the database is unreachable, else the 500 page; either way the error
// is logged and never shown.
func (r *Renderer) Fail(c *gin.Context, err error) {
	var se *StatusError
	switch {
	case store.DiskFull(err):
		slog.ErrorContext(c, "database disk full: write refused", "err", err, "path", c.FullPath())
		c.Header("Retry-After", "60")
		r.errorPage(c, http.StatusServiceUnavailable, "error.storage_full")
	case store.Unavailable(err):
		slog.WarnContext(c, "database unavailable", "err", err, "path", c.FullPath())
		c.Header("Retry-After", "5")
		r.Error(c, http.StatusServiceUnavailable)
	case errors.As(err, &se):
		if se.Status >= 500 {
			slog.ErrorContext(c, "request failed", "err", err, "path", c.FullPath())
		}
		r.Error(c, se.Status)
	default:
		slog.ErrorContext(c, "request failed", "err", err, "path", c.FullPath())
		r.Error(c, http.StatusInternalServerError)
	}
}

// errorPage is the data of the error template; its title is the frame's.
type errorPage struct {
	Base
	Status int
	Body   string
}

// Templates maps each template web renders itself (the error page) to its
// page data, for the template check.
func Templates() map[string]Page {
	return map[string]Page{"public/error": &errorPage{}}
}

// Error answers status with the branded error page of the request's host; on an
// unknown host (no brand) it is a plain page that names nobody.
func (r *Renderer) Error(c *gin.Context, status int) {
	key := "error.server"
	switch status {
	case http.StatusNotFound, http.StatusMethodNotAllowed:
		key = "error.not_found"
	case http.StatusTooManyRequests:
		key = "error.too_many"
	case http.StatusBadRequest, http.StatusRequestEntityTooLarge, http.StatusUnprocessableEntity:
		key = "error.bad_request"
	case http.StatusServiceUnavailable:
		key = "error.unavailable"
	case http.StatusForbidden:
		key = "error.forbidden"
	}
	r.errorPage(c, status, key)
}

// errorPage answers status with the error page whose title and text are the
// messages key.title and key.body.
func (r *Renderer) errorPage(c *gin.Context, status int, key string) {
	if c.Writer.Written() {
		return
	}
	c.Abort()
	if _, ok := BrandOf(c); !ok {
		c.Data(status, "text/html; charset=utf-8", []byte(plainPage(status)))
		return
	}
	p := &errorPage{Status: status}
	r.Frame(c, &p.Base)
	p.Title = p.L.T(key + ".title")
	p.Body = p.L.T(key + ".body")
	if err := r.HTML(c, status, "public/error", p); err != nil {
		slog.ErrorContext(c, "render error page", "err", err)
		c.Data(status, "text/html; charset=utf-8", []byte(plainPage(status)))
	}
}

// plainPage is the page of a host this platform does not serve: no name, no brand.
func plainPage(status int) string {
	text := template.HTMLEscapeString(http.StatusText(status))
	return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + text +
		"</title></head><body><h1>" + fmt.Sprint(status) + " " + text + "</h1></body></html>\n"
}

// hashOf returns the first 12 hex characters of the SHA-256 of b.
func hashOf(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:6])
}

// cleanName refuses names that leave the asset folder.
func cleanName(name string) (string, bool) {
	c := path.Clean("/" + name)[1:]
	return c, c != "" && c == name
}
