package server

import (
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"workrate/certs"
	"workrate/scheme"
	"workrate/tenant"
)

// newCertManager configures certificates for the listeners just bound: the
// ACME challenges are answered on them.
func (a *App) newCertManager(httpAddr, tlsAddr net.Addr) (*certs.Manager, error) {
	host, _, _ := net.SplitHostPort(httpAddr.String())
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		host = ""
	}
	return certs.NewManager(certs.Config{
		CA: a.cfg.ACMECA, Email: a.cfg.ACMEEmail, CARoot: a.cfg.ACMECARoot,
		ListenHost: host, HTTPPort: portNumber(httpAddr), TLSPort: portNumber(tlsAddr),
		DisableHTTPChallenge: a.cfg.DisableHTTPChallenge, DisableTLSALPNChallenge: a.cfg.DisableTLSALPNChallenge,
		Storage:  certs.NewStorage(a.db, a.cfg.DatabaseURL),
		CertFile: a.cfg.TLSCert, KeyFile: a.cfg.TLSKey,
		// Domains verified elsewhere reach the host map every TenantRefresh;
		// their certificates follow at the same pace.
		Poll: max(a.cfg.TenantRefresh, 200*time.Millisecond),
	}, a.resolver, a.domains.Store)
}

func portNumber(addr net.Addr) int {
	if t, ok := addr.(*net.TCPAddr); ok {
		return t.Port
	}
	_, p, _ := net.SplitHostPort(addr.String())
	n, _ := strconv.Atoi(p)
	return n
}

// probe paths answer on any host and any listener, never redirected.
func probe(path string) bool { return path == "/healthz" || path == "/readyz" }

// plainHandler is the plain HTTP listener's handler when TLS is on: a host
// the platform serves is redirected to HTTPS, except the ACME challenge path
// (challenges certmagic knows never get here; unknown tokens get a 404);
// anything else gets the app (a 404 for unknown hosts).
func (a *App) plainHandler(tlsAddr net.Addr) http.Handler {
	port := ""
	if p := portNumber(tlsAddr); p != 443 {
		port = ":" + strconv.Itoa(p)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if probe(r.URL.Path) || strings.HasPrefix(r.URL.Path, "/.well-known/acme-challenge/") ||
			scheme.HTTPS(r, a.proxies) {
			a.engine.ServeHTTP(w, r)
			return
		}
		host, err := tenant.NormalizeHost(r.Host)
		if err != nil || a.resolver.Resolve(host).Kind == tenant.Unknown {
			a.engine.ServeHTTP(w, r)
			return
		}
		http.Redirect(w, r, "https://"+host+port+r.URL.RequestURI(), http.StatusPermanentRedirect)
	})
}

// tlsHandler routes TLS requests by their Host, which need not be the SNI
// name (HTTP/2 reuses connections across names one certificate covers): a
// Host this platform does not serve is 421 Misdirected Request.
func (a *App) tlsHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !probe(r.URL.Path) {
			host, err := tenant.NormalizeHost(r.Host)
			if err != nil || a.resolver.Resolve(host).Kind == tenant.Unknown {
				w.Header().Set("Content-Type", "text/plain; charset=utf-8")
				w.Header().Set("Cache-Control", "no-store")
				w.WriteHeader(http.StatusMisdirectedRequest)
				_, _ = w.Write([]byte("421 Misdirected Request\n"))
				return
			}
		}
		a.engine.ServeHTTP(w, r)
	})
}
