package server_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"workrate/auth"
	"workrate/branding"
	"workrate/certs"
	"workrate/certs/certstest"
	"workrate/migrations/testdb"
	"workrate/server"
	"workrate/server/servertest"
	"workrate/store"
	"workrate/tenant"
)

func startTLSApp(t *testing.T, db testdb.DB, p *certstest.Pebble, httpPort, tlsPort int, opts ...func(*server.Config)) *server.App {
	t.Helper()
	cfg := servertest.Config(db.URL)
	cfg.HTTPAddr = fmt.Sprintf("127.0.0.1:%d", httpPort)
	cfg.HTTPSAddr = fmt.Sprintf("127.0.0.1:%d", tlsPort)
	cfg.PlatformHost = "workrate.test"
	cfg.AgencyDomain = "agencies.workrate.test"
	cfg.CNAMETarget = "edge.workrate.test"
	cfg.ACMECA = p.DirectoryURL
	cfg.ACMECARoot = p.CARootFile
	cfg.DNSResolver = p.DNSAddr
	cfg.DomainCheckInterval = 100 * time.Millisecond
	cfg.TenantRefresh = 200 * time.Millisecond
	for _, o := range opts {
		o(&cfg)
	}
	app, err := server.New(context.Background(), cfg, db.DB)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- app.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Run: %v", err)
			}
		case <-time.After(30 * time.Second):
			t.Error("Run did not return after cancel")
		}
	})
	waitFor(t, 5*time.Second, "the TLS listener", func() bool {
		c, err := net.Dial("tcp", cfg.HTTPSAddr)
		if err == nil {
			c.Close()
		}
		return err == nil
	})
	return app
}

func waitFor(t *testing.T, d time.Duration, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", d, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// handshake connects over TLS with SNI name, trusting roots.
func handshake(port int, name string, roots *x509.CertPool) (*tls.Conn, error) {
	d := &net.Dialer{Timeout: 10 * time.Second}
	return tls.DialWithDialer(d, "tcp", fmt.Sprintf("127.0.0.1:%d", port), &tls.Config{ServerName: name, RootCAs: roots})
}

// httpsClient sends every request to the TLS port, verifying against roots;
// it follows redirects.
func httpsClient(port int, roots *x509.CertPool) *http.Client {
	return &http.Client{Timeout: 20 * time.Second, Transport: &http.Transport{
		TLSClientConfig: &tls.Config{RootCAs: roots},
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, network, fmt.Sprintf("127.0.0.1:%d", port))
		},
		ForceAttemptHTTP2: true,
	}}
}

func TestCustomDomainTLSWithPebble(t *testing.T) {
	if testing.Short() {
		t.Skip("starts an ACME server")
	}
	challenges := []struct {
		name                     string
		disableHTTP, disableALPN bool
	}{
		{"http-01", false, true},
		{"tls-alpn-01", true, false},
	}
	for _, db := range testdb.Each(t) {
		for _, ch := range challenges {
			t.Run(db.Name+"/"+ch.name, func(t *testing.T) {
				if db.Name == "postgres" {
					db = testdb.Postgres(t) // a fresh schema per run
				} else {
					db = testdb.SQLite(t)
				}
				testCustomDomainTLS(t, db, ch.disableHTTP, ch.disableALPN)
			})
		}
	}
}

func testCustomDomainTLS(t *testing.T, db testdb.DB, disableHTTP, disableALPN bool) {
	ctx := context.Background()
	ts := tenant.NewStore(db.DB)
	acme, err := ts.CreateAgency(ctx, "Acme Studio", "acme")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := branding.NewStore(db.DB).SetText(ctx, acme.ID, "Acme Client Portal", "#0b6e4f"); err != nil {
		t.Fatal(err)
	}
	httpPort, tlsPort := certstest.FreePort(t), certstest.FreePort(t)
	p := certstest.Start(t, httpPort, tlsPort)
	app := startTLSApp(t, db, p, httpPort, tlsPort, func(c *server.Config) {
		c.DisableHTTPChallenge, c.DisableTLSALPNChallenge = disableHTTP, disableALPN
	})
	domains := app.Domains()

	// The agency claims a hostname and creates the DNS records it is shown.
	const host = "portal.acme-client.test"
	d, err := domains.Add(ctx, acme.ID, host)
	if err != nil {
		t.Fatal(err)
	}
	v := d.View(domains.CNAMETarget())
	if v.Verification.Name != "_workrate-challenge."+host || v.Verification.Value == "" || v.CNAMETarget != "edge.workrate.test" {
		t.Fatalf("DNS instructions = %+v", v)
	}
	// Nothing yet: the name is not served, not even to the TLS handshake.
	if c, err := handshake(tlsPort, host, p.Roots); err == nil {
		c.Close()
		t.Fatal("handshake for an unverified domain succeeded")
	}
	p.DNS.AddDNSTXTRecord(v.Verification.Name, v.Verification.Value)
	p.DNS.AddDNSCNAMERecord(host, v.CNAMETarget)

	// The background checker verifies it, and the certificate follows at once.
	waitFor(t, 60*time.Second, "the certificate of "+host, func() bool {
		d, err := ts.DomainByHostname(ctx, host)
		if err != nil {
			t.Fatal(err)
		}
		if d.CertStatus == tenant.CertFailed {
			t.Fatalf("certificate failed: %s", d.CertError)
		}
		return d.Status == tenant.DomainVerified && d.CertStatus == tenant.CertActive
	})
	d, _ = ts.DomainByHostname(ctx, host)
	if d.VerifiedBy != tenant.VerifiedByDNS || d.CertExpiresAt == nil || d.CertExpiresAt.Before(time.Now().Add(24*time.Hour)) {
		t.Errorf("verified domain = by %q, expires %v", d.VerifiedBy, d.CertExpiresAt)
	}
	if n := p.Orders(); n != 1 {
		t.Errorf("ACME orders = %d, want 1", n)
	}

	// A client connects with SNI set to the domain: Pebble's chain, the agency's brand.
	conn, err := handshake(tlsPort, host, p.Roots)
	if err != nil {
		t.Fatalf("handshake: %v", err)
	}
	leaf := conn.ConnectionState().PeerCertificates[0]
	conn.Close()
	if err := leaf.VerifyHostname(host); err != nil {
		t.Error(err)
	}
	client := httpsClient(tlsPort, p.Roots)
	resp, err := client.Get("https://" + host + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), "Acme Client Portal") || strings.Contains(string(body), "WorkRate") {
		t.Errorf("page on %s does not show the agency's brand only: %d %.300q", host, resp.StatusCode, body)
	}
	if resp.Header.Get("Strict-Transport-Security") == "" {
		t.Error("no HSTS on a TLS answer")
	}
	// Signing in over TLS sets a __Host- cookie, Secure and host-only.
	hash, err := auth.HashPassword("staff-password-2026", auth.Params{Memory: 64, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := auth.NewStore(db.DB).CreateStaff(ctx, acme.ID, "owner@acme.example", "Owner", auth.RoleOwner, hash); err != nil {
		t.Fatal(err)
	}
	noRedirect := *client
	noRedirect.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err = noRedirect.PostForm("https://"+host+"/staff/login", url.Values{"email": {"owner@acme.example"}, "password": {"staff-password-2026"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if sc := resp.Header.Get("Set-Cookie"); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(sc, "__Host-session=") || !strings.Contains(sc, "Secure") || strings.Contains(sc, "Domain=") {
		t.Errorf("sign-in over TLS = %d, Set-Cookie %q", resp.StatusCode, sc)
	}

	// Routing is by Host: a Host this platform does not serve is 421, even on
	// a connection whose SNI is served.
	req, _ := http.NewRequest(http.MethodGet, "https://"+host+"/", nil)
	req.Host = "elsewhere.example"
	if resp, err := client.Do(req); err != nil || resp.StatusCode != http.StatusMisdirectedRequest {
		t.Errorf("foreign Host over TLS = %v, %v; want 421", resp, err)
	} else {
		resp.Body.Close()
	}

	// Plain HTTP redirects served hosts to HTTPS, but not the challenge path.
	plain := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(h, path string) *http.Response {
		req, _ := http.NewRequest(http.MethodGet, fmt.Sprintf("http://127.0.0.1:%d%s", httpPort, path), nil)
		req.Host = h
		resp, err := plain.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	if r := get(host, "/tickets?x=1"); r.StatusCode != http.StatusPermanentRedirect || r.Header.Get("Location") != fmt.Sprintf("https://%s:%d/tickets?x=1", host, tlsPort) {
		t.Errorf("plain HTTP on %s = %d to %q", host, r.StatusCode, r.Header.Get("Location"))
	}
	if r := get(host, "/.well-known/acme-challenge/unknown-token"); r.StatusCode == http.StatusPermanentRedirect {
		t.Error("the ACME challenge path was redirected")
	}
	if r := get("nobody.example", "/"); r.StatusCode != http.StatusNotFound {
		t.Errorf("plain HTTP for an unknown host = %d, want 404", r.StatusCode)
	}
	if r := get("nobody.example", "/healthz"); r.StatusCode != http.StatusOK {
		t.Errorf("healthz over plain HTTP = %d", r.StatusCode)
	}

	// An unverified name and a random name get no certificate and no order.
	orders := p.Orders()
	if _, err := domains.Add(ctx, acme.ID, "pending.acme-client.test"); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"pending.acme-client.test", "random-scanner-name.example", "nobody.agencies.workrate.test"} {
		start := time.Now()
		if c, err := handshake(tlsPort, name, p.Roots); err == nil {
			c.Close()
			t.Errorf("handshake for %s succeeded", name)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("refusing %s took %v", name, d)
		}
	}
	time.Sleep(300 * time.Millisecond)
	if p.Orders() != orders {
		t.Errorf("refused names started %d ACME orders", p.Orders()-orders)
	}

	// A domain whose validation fails: the CA's reason is shown and the name
	// is refused fast afterwards. Its address points where nothing listens.
	const broken = "broken.acme-client.test"
	bd, err := domains.Add(ctx, acme.ID, broken)
	if err != nil {
		t.Fatal(err)
	}
	p.DNS.AddDNSARecord(broken, []string{"127.0.0.2"})
	// The operator approves it from the command line (another process): the
	// server picks it up and asks for its certificate by itself.
	cli := &certs.Domains{Store: tenant.NewStore(db.DB), Verifier: certs.NewVerifier(p.DNSAddr, "edge.workrate.test")}
	if bd, err = cli.Approve(ctx, bd); err != nil || bd.Status != tenant.DomainVerified || bd.VerifiedBy != tenant.VerifiedByOperator {
		t.Fatalf("approve = %+v, %v", bd, err)
	}
	waitFor(t, 60*time.Second, "the failure of "+broken, func() bool {
		d, err := ts.DomainByHostname(ctx, broken)
		if err != nil {
			t.Fatal(err)
		}
		return d.CertStatus == tenant.CertFailed
	})
	bd, _ = ts.DomainByHostname(ctx, broken)
	if bd.CertError == "" || bd.CertFailedAt == nil || !strings.Contains(bd.CertError, "127.0.0.2") {
		t.Errorf("failed domain shows error %q at %v; want the CA's reason", bd.CertError, bd.CertFailedAt)
	}
	start := time.Now()
	_, err = handshake(tlsPort, broken, p.Roots)
	if err == nil {
		t.Error("handshake for a failed domain succeeded")
	}
	if d := time.Since(start); d > 500*time.Millisecond {
		t.Errorf("handshake for a recently failed domain took %v; want a fast refusal", d)
	}

	// An unreachable CA blocks neither stored certificates nor plain pages:
	// a new instance on the same storage, with the CA gone.
	p.Stop()
	http2, tls2 := certstest.FreePort(t), certstest.FreePort(t)
	startTLSApp(t, db, p, http2, tls2)
	start = time.Now()
	conn, err = handshake(tls2, host, p.Roots)
	if err != nil {
		t.Fatalf("handshake with the CA down: %v", err)
	}
	conn.Close()
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("handshake with the CA down took %v", d)
	}
	resp, err = http.Get(fmt.Sprintf("http://127.0.0.1:%d/healthz", http2))
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Errorf("plain page with the CA down: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}

	// Removing the domain stops serving it at once.
	if err := domains.Remove(ctx, acme.ID, host); err != nil {
		t.Fatal(err)
	}
	if c, err := handshake(tlsPort, host, p.Roots); err == nil {
		c.Close()
		t.Error("handshake for a removed domain succeeded")
	}
	if err := domains.Remove(ctx, acme.ID, host); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("second removal = %v, want not found", err)
	}
}
