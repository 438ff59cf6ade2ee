// Package servertest runs the whole product in-process for handler tests: a
// migrated test database, the app's handler, and browsers with cookie jars.
package servertest

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"workrate/migrations/testdb"
	"workrate/server"
)

// Env is one running app on one test database.
type Env struct {
	T   testing.TB
	DB  testdb.DB
	App *server.App
	Cfg server.Config
}

// Config is the configuration tests run with: platform host "localhost",
// agencies at <slug>.localhost, platform name "WorkRate".
func Config(dbURL string) server.Config {
	key := "" // SQLite: the key file next to the database, as with no configuration
	if strings.HasPrefix(dbURL, "postgres") {
		key = "servertest-secret-key-0123456789"
	}
	return server.Config{
		SecretKey:   key,
		DatabaseURL: dbURL, HTTPAddr: "127.0.0.1:0", PlatformHost: "localhost", AgencyDomain: "localhost",
		PlatformName: "WorkRate", CNAMETarget: "localhost", TempPasswordTTL: 7 * 24 * time.Hour,
		SessionIdle: 2 * time.Hour, SessionMax: 7 * 24 * time.Hour, TenantRefresh: time.Hour,
	}
}

// New starts the app on db with Config, changed by opts.
func New(t testing.TB, db testdb.DB, opts ...func(*server.Config)) *Env {
	t.Helper()
	cfg := Config(db.URL)
	for _, o := range opts {
		o(&cfg)
	}
	app, err := server.New(context.Background(), cfg, db.DB)
	if err != nil {
		t.Fatal(err)
	}
	return &Env{T: t, DB: db, App: app, Cfg: cfg}
}

// For returns the same app reporting to t: fuzz targets use it, since a
// testing.F may not be used inside f.Fuzz.
func (e *Env) For(t testing.TB) *Env {
	c := *e
	c.T = t
	return &c
}

// Reload makes the host map pick up rows written since start at once.
func (e *Env) Reload() {
	e.T.Helper()
	if err := e.App.Resolver().Load(context.Background()); err != nil {
		e.T.Fatal(err)
	}
}

// Browser is one user agent: it keeps cookies per host and never follows redirects.
type Browser struct {
	env        *Env
	cookies    map[string]map[string]*http.Cookie // host -> name -> cookie
	Header     http.Header                        // sent with every request
	RemoteAddr string                             // the peer's address, host:port
}

// Browser returns a new browser with no cookies.
func (e *Env) Browser() *Browser {
	return &Browser{env: e, cookies: map[string]map[string]*http.Cookie{}, Header: http.Header{}, RemoteAddr: "192.0.2.10:40000"}
}

// Response is a finished request.
type Response struct {
	Status int
	Header http.Header
	Body   string
}

// Location returns the redirect target.
func (r *Response) Location() string { return r.Header.Get("Location") }

// Do sends a request for host and path with an optional body and content type.
func (b *Browser) Do(method, host, path string, body io.Reader, contentType string) *Response {
	b.env.T.Helper()
	req := httptest.NewRequest(method, "http://workrate.test"+path, body)
	req.Host = host
	req.RemoteAddr = b.RemoteAddr
	for k, vs := range b.Header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for _, c := range b.cookies[host] {
		req.AddCookie(c)
	}
	rec := httptest.NewRecorder()
	b.env.App.Handler().ServeHTTP(rec, req)
	res := rec.Result()
	for _, c := range res.Cookies() {
		jar := b.cookies[host]
		if jar == nil {
			jar = map[string]*http.Cookie{}
			b.cookies[host] = jar
		}
		if c.MaxAge < 0 || c.Value == "" {
			delete(jar, c.Name)
		} else {
			jar[c.Name] = c
		}
	}
	return &Response{Status: rec.Code, Header: rec.Header(), Body: rec.Body.String()}
}

// Get requests a page.
func (b *Browser) Get(host, path string) *Response {
	b.env.T.Helper()
	return b.Do(http.MethodGet, host, path, nil, "")
}

// Post submits a form.
func (b *Browser) Post(host, path string, form url.Values) *Response {
	b.env.T.Helper()
	return b.Do(http.MethodPost, host, path, strings.NewReader(form.Encode()), "application/x-www-form-urlencoded")
}

// Cookie returns the named cookie the browser holds for host, or nil.
func (b *Browser) Cookie(host, name string) *http.Cookie { return b.cookies[host][name] }

// SetCookie puts a cookie in the browser's jar for host (to replay one elsewhere).
func (b *Browser) SetCookie(host string, c *http.Cookie) {
	if b.cookies[host] == nil {
		b.cookies[host] = map[string]*http.Cookie{}
	}
	b.cookies[host][c.Name] = c
}

// JSON sends a JSON body with a bearer token (empty: none).
func (b *Browser) JSON(method, host, path, token, body string) *Response {
	b.env.T.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	if token != "" {
		b.Header.Set("Authorization", "Bearer "+token)
		defer b.Header.Del("Authorization")
	}
	return b.Do(method, host, path, r, "application/json")
}

// Values builds url.Values from pairs: Values("email", "a@b.c", "password", "x").
func Values(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return v
}
