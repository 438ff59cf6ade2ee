package scheme_test

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"

	"github.com/gin-gonic/gin"

	"workrate/scheme"
	"workrate/tenant"
)

func TestHTTPS(t *testing.T) {
	trusted := tenant.Proxies{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("2001:db8::/32")}
	cases := []struct {
		name   string
		remote string
		tls    bool
		proto  []string
		want   bool
	}{
		{"plain, no header", "10.0.0.1:1", false, nil, false},
		{"TLS on the connection", "192.0.2.1:1", true, nil, true},
		{"TLS whatever the header says", "192.0.2.1:1", true, []string{"http"}, true},
		{"trusted proxy, https", "10.0.0.1:1", false, []string{"https"}, true},
		{"trusted proxy, upper case", "10.0.0.1:1", false, []string{"HTTPS"}, true},
		{"trusted IPv6 proxy", "[2001:db8::7]:443", false, []string{"https"}, true},
		{"trusted proxy, http", "10.0.0.1:1", false, []string{"http"}, false},
		{"trusted proxy appended http to the client's https", "10.0.0.1:1", false, []string{"https, http"}, false},
		{"trusted proxy appended https", "10.0.0.1:1", false, []string{"http,https"}, true},
		{"trusted proxy's own header line is last", "10.0.0.1:1", false, []string{"https", "http"}, false},
		{"untrusted peer, https", "192.0.2.1:1", false, []string{"https"}, false},
		{"untrusted IPv6 peer", "[2001:db9::1]:1", false, []string{"https"}, false},
		{"garbage", "10.0.0.1:1", false, []string{"httpsx"}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			r.RemoteAddr = c.remote
			if c.tls {
				r.TLS = &tls.ConnectionState{}
			}
			for _, v := range c.proto {
				r.Header.Add("X-Forwarded-Proto", v)
			}
			if got := scheme.HTTPS(r, trusted); got != c.want {
				t.Errorf("HTTPS = %v, want %v", got, c.want)
			}
			if got := scheme.HTTPS(r, tenant.Proxies(nil)); got != c.tls {
				t.Errorf("with no trusted proxies HTTPS = %v, want %v", got, c.tls)
			}
		})
	}
}

// Secure answers what the middleware decided; without it, TLS alone decides.
func TestSecureFollowsTheMiddleware(t *testing.T) {
	gin.SetMode(gin.ReleaseMode)
	e := gin.New()
	e.Use(scheme.Middleware(tenant.Proxies{netip.MustParsePrefix("10.0.0.0/8")}))
	e.GET("/", func(c *gin.Context) {
		if scheme.Secure(c.Request) {
			c.String(http.StatusOK, "secure")
			return
		}
		c.String(http.StatusOK, "plain")
	})
	for _, c := range []struct {
		remote, want string
	}{{"10.9.9.9:1", "secure"}, {"192.0.2.1:1", "plain"}} {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.RemoteAddr = c.remote
		r.Header.Set("X-Forwarded-Proto", "https")
		w := httptest.NewRecorder()
		e.ServeHTTP(w, r)
		if w.Body.String() != c.want {
			t.Errorf("from %s: %q, want %q", c.remote, w.Body.String(), c.want)
		}
	}
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.Header.Set("X-Forwarded-Proto", "https")
	r.RemoteAddr = "10.9.9.9:1"
	if scheme.Secure(r) {
		t.Error("a request that did not pass the middleware is secure without TLS")
	}
	r.TLS = &tls.ConnectionState{}
	if !scheme.Secure(r) {
		t.Error("a TLS request that did not pass the middleware is not secure")
	}
}
