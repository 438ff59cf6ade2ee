package attack_test

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"workrate/migrations/testdb"
)

// TestSecurityHeadersOnEveryAnswer checks the strict headers on every kind
// of answer: pages, error pages, the API and its errors, static files, brand
// files, health checks and unknown hosts; HSTS over TLS.
func TestSecurityHeadersOnEveryAnswer(t *testing.T) {
	db := testdb.SQLite(t)
	w := newWorld(t, db)
	session := w.client(t, "A1").Cookie(hostA, "session")
	for _, tc := range []struct {
		name, method, host, path, token string
		cookie                          bool
	}{
		{"sign-in page", "GET", hostA, "/login", "", false},
		{"signed-in page", "GET", hostA, "/tickets", "", true},
		{"404 page", "GET", hostA, "/no-such-page", "", false},
		{"404 of a foreign id", "GET", hostA, "/tickets/" + w.F.B1.TicketID, "", true},
		{"403 cross-site", "POST", hostA, "/messages", "", true},
		{"API", "GET", hostB, "/api/v1/workspaces", w.TokenB, false},
		{"API 401", "GET", hostB, "/api/v1/workspaces", "", false},
		{"API 404", "GET", hostB, "/api/v1/nothing", w.TokenB, false},
		{"static", "GET", hostA, "/static/app.css", "", false},
		{"brand theme", "GET", hostA, "/brand/theme/123456-ffffff.css", "", false},
		{"health", "GET", hostA, "/healthz", "", false},
		{"unknown host", "GET", "evil.example", "/", "", false},
		{"operator console", "GET", platformHost, "/operator/login", "", false},
		{"staff page", "GET", hostB, "/staff/login", "", false},
	} {
		for _, overTLS := range []bool{false, true} {
			req := httptest.NewRequest(tc.method, "http://"+tc.host+tc.path, nil)
			req.Host = tc.host
			if tc.token != "" {
				req.Header.Set("Authorization", "Bearer "+tc.token)
			}
			if tc.cookie {
				name := "session"
				if overTLS {
					name = "__Host-session" // the session above was made without TLS: this one is anonymous
				}
				req.AddCookie(&http.Cookie{Name: name, Value: session.Value})
			}
			if tc.method == "POST" {
				req.Header.Set("Sec-Fetch-Site", "cross-site")
			}
			if overTLS {
				req.TLS = &tls.ConnectionState{}
			}
			rec := httptest.NewRecorder()
			w.App.Handler().ServeHTTP(rec, req)
			h := rec.Header()
			what := tc.name
			if overTLS {
				what += " over TLS"
			}
			checkSecurityHeaders(t, what, rec.Code, rec.Body.Len(), h, overTLS)
		}
	}
}

// checkSecurityHeaders wants h, the headers of an answer with status code
// and a body of n bytes, to carry a strict CSP, nosniff, a referrer policy,
// HSTS over TLS only, and a Content-Type with any body.
func checkSecurityHeaders(t *testing.T, what string, code, n int, h http.Header, overTLS bool) {
	t.Helper()
	csp := h.Get("Content-Security-Policy")
	directive := func(name string) string {
		for _, d := range strings.Split(csp, ";") {
			if f := strings.Fields(d); len(f) > 0 && f[0] == name {
				return strings.Join(f[1:], " ")
			}
		}
		return ""
	}
	switch {
	case csp == "" || strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval"):
		t.Errorf("%s (%d): CSP %q", what, code, csp)
	case directive("script-src") != "'self'" && directive("default-src") != "'self'":
		t.Errorf("%s: script-src %q", what, directive("script-src"))
	case directive("frame-ancestors") != "'none'":
		t.Errorf("%s: frame-ancestors %q", what, directive("frame-ancestors"))
	case directive("object-src") != "'none'" || directive("base-uri") == "":
		t.Errorf("%s: object-src/base-uri missing: %q", what, csp)
	}
	if h.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("%s: nosniff missing", what)
	}
	if rp := h.Get("Referrer-Policy"); rp != "same-origin" && rp != "no-referrer" && rp != "strict-origin-when-cross-origin" {
		t.Errorf("%s: Referrer-Policy %q", what, rp)
	}
	hsts := h.Get("Strict-Transport-Security")
	if overTLS && !strings.Contains(hsts, "max-age=") || !overTLS && hsts != "" {
		t.Errorf("%s: HSTS %q", what, hsts)
	}
	if ct := h.Get("Content-Type"); n > 0 && ct == "" {
		t.Errorf("%s: body without Content-Type", what)
	}
}
