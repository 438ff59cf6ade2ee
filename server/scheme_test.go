package server_test

import (
	"context"
	"net/http"
	"net/netip"
	"strings"
	"testing"

	"workrate/auth"
	"workrate/migrations/testdb"
	"workrate/server"
	"workrate/server/servertest"
	"workrate/tenant"
)

// Behind a proxy that terminates TLS the request is HTTPS when, and only
// when, a trusted proxy says so: the session cookie is then __Host- and
// Secure, it opens the back office, and HSTS is sent. The same header from
// anyone else changes nothing.
func TestForwardedHTTPSFromTrustedProxyOnly(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			ctx := context.Background()
			a, err := tenant.NewStore(db.DB).CreateAgency(ctx, "Acme Studio", "acme")
			if err != nil {
				t.Fatal(err)
			}
			hash, err := auth.HashPassword("staff-password-2026", auth.Params{Memory: 64, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := auth.NewStore(db.DB).CreateStaff(ctx, a.ID, "owner@acme.example", "Owner", auth.RoleOwner, hash); err != nil {
				t.Fatal(err)
			}
			env := servertest.New(t, db, func(c *server.Config) {
				c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
			})
			const host = "acme.localhost"
			signIn := servertest.Values("email", "owner@acme.example", "password", "staff-password-2026")

			proxied := env.Browser()
			proxied.RemoteAddr = "10.1.2.3:50000"
			proxied.Header.Set("X-Forwarded-Proto", "https")
			r := proxied.Post(host, "/staff/login", signIn)
			sc := r.Header.Get("Set-Cookie")
			if r.Status != http.StatusSeeOther || !strings.HasPrefix(sc, "__Host-session=") || !strings.Contains(sc, "; Secure") {
				t.Errorf("sign-in through the trusted proxy = %d, Set-Cookie %q; want __Host-session, Secure", r.Status, sc)
			}
			if hsts := r.Header.Get("Strict-Transport-Security"); !strings.Contains(hsts, "max-age=") {
				t.Errorf("sign-in through the trusted proxy: HSTS %q", hsts)
			}
			if r := proxied.Get(host, "/staff/workspaces"); r.Status != http.StatusOK {
				t.Errorf("back office through the trusted proxy with the __Host- cookie = %d, want 200", r.Status)
			}
			// The proxy's own value counts, not one the client put before it.
			proxied.Header.Set("X-Forwarded-Proto", "https, http")
			if r := proxied.Get(host, "/staff/login"); r.Header.Get("Strict-Transport-Security") != "" {
				t.Error("HSTS when the trusted proxy's own value is http")
			}

			untrusted := env.Browser()
			untrusted.RemoteAddr = "192.0.2.77:50000"
			untrusted.Header.Set("X-Forwarded-Proto", "https")
			r = untrusted.Post(host, "/staff/login", signIn)
			sc = r.Header.Get("Set-Cookie")
			if r.Status != http.StatusSeeOther || !strings.HasPrefix(sc, "session=") || strings.Contains(sc, "Secure") {
				t.Errorf("sign-in from an untrusted address = %d, Set-Cookie %q; want a plain session cookie", r.Status, sc)
			}
			if hsts := r.Header.Get("Strict-Transport-Security"); hsts != "" {
				t.Errorf("sign-in from an untrusted address: HSTS %q", hsts)
			}
		})
	}
}
