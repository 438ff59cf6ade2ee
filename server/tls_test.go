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
	r := &tlsRun{t: t, ctx: ctx, db: db, ts: ts, acme: acme, p: p, domains: app.Domains(),
		httpPort: httpPort, tlsPort: tlsPort, host: "portal.acme-client.test"}
	r.claimAndVerify()
	client := r.checkBrandedPage()
	r.checkSignInCookie(client)
	r.checkRouting(client)
	r.checkPlainHTTP()
	r.checkRefusedNames()
	r.checkFailedDomain()
	r.checkCADown()
	r.checkRemoval()
}

// tlsRun is one run of testCustomDomainTLS: the agency, the CA and the app's
// ports, and the custom domain under test.
type tlsRun struct {
	t                 *testing.T
	ctx               context.Context
	db                testdb.DB
	ts                *tenant.Store
	acme              *tenant.Agency
	p                 *certstest.Pebble
	domains           *certs.Domains
	httpPort, tlsPort int
	host              string
}

// claimAndVerify has the agency claim the host and create the DNS records it
// is shown; the background checker verifies it and the certificate follows.
func (r *tlsRun) claimAndVerify() {
	t, ctx, host := r.t, r.ctx, r.host
	d, err := r.domains.Add(ctx, r.acme.ID, host)
	if err != nil {
		t.Fatal(err)
	}
	v := d.View(r.domains.CNAMETarget())
	if v.Verification.Name != "_workrate-challenge."+host || v.Verification.Value == "" || v.CNAMETarget != "edge.workrate.test" {
		t.Fatalf("DNS instructions = %+v", v)
	}
	// Nothing yet: the name is not served, not even to the TLS handshake.
	if c, err := handshake(r.tlsPort, host, r.p.Roots); err == nil {
		c.Close()
		t.Fatal("handshake for an unverified domain succeeded")
	}
	r.p.DNS.AddDNSTXTRecord(v.Verification.Name, v.Verification.Value)
	r.p.DNS.AddDNSCNAMERecord(host, v.CNAMETarget)
	waitFor(t, 60*time.Second, "the certificate of "+host, func() bool {
		d, err := r.ts.DomainByHostname(ctx, host)
		if err != nil {
			t.Fatal(err)
		}
		if d.CertStatus == tenant.CertFailed {
			t.Fatalf("certificate failed: %s", d.CertError)
		}
		return d.Status == tenant.DomainVerified && d.CertStatus == tenant.CertActive
	})
	d, _ = r.ts.DomainByHostname(ctx, host)
	if d.VerifiedBy != tenant.VerifiedByDNS || d.CertExpiresAt == nil || d.CertExpiresAt.Before(time.Now().Add(24*time.Hour)) {
		t.Errorf("verified domain = by %q, expires %v", d.VerifiedBy, d.CertExpiresAt)
	}
	if n := r.p.Orders(); n != 1 {
		t.Errorf("ACME orders = %d, want 1", n)
	}
}

// checkBrandedPage connects with SNI set to the domain: Pebble's chain, the
// agency's brand. It returns the HTTPS client.
func (r *tlsRun) checkBrandedPage() *http.Client {
	t, host := r.t, r.host
	conn, err := handshake(r.tlsPort, host, r.p.Roots)
	if err != nil {
		t.Fatalf("handshake: %v", err)
	}
	leaf := conn.ConnectionState().PeerCertificates[0]
	conn.Close()
	if err := leaf.VerifyHostname(host); err != nil {
		t.Error(err)
	}
	client := httpsClient(r.tlsPort, r.p.Roots)
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
	return client
}

// checkSignInCookie signs in over TLS: a __Host- cookie, Secure and host-only.
func (r *tlsRun) checkSignInCookie(client *http.Client) {
	t := r.t
	hash, err := auth.HashPassword("staff-password-2026", auth.Params{Memory: 64, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := auth.NewStore(r.db.DB).CreateStaff(r.ctx, r.acme.ID, "owner@acme.example", "Owner", auth.RoleOwner, hash); err != nil {
		t.Fatal(err)
	}
	noRedirect := *client
	noRedirect.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := noRedirect.PostForm("https://"+r.host+"/staff/login", url.Values{"email": {"owner@acme.example"}, "password": {"staff-password-2026"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if sc := resp.Header.Get("Set-Cookie"); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(sc, "__Host-session=") || !strings.Contains(sc, "Secure") || strings.Contains(sc, "Domain=") {
		t.Errorf("sign-in over TLS = %d, Set-Cookie %q", resp.StatusCode, sc)
	}
}

// checkRouting: routing is by Host, so a Host this platform does not serve
// is 421, even on a connection whose SNI is served.
func (r *tlsRun) checkRouting(client *http.Client) {
	req, _ := http.NewRequest(http.MethodGet, "https://"+r.host+"/", nil)
	req.Host = "elsewhere.example"
	if resp, err := client.Do(req); err != nil || resp.StatusCode != http.StatusMisdirectedRequest {
		r.t.Errorf("foreign Host over TLS = %v, %v; want 421", resp, err)
	} else {
		resp.Body.Close()
	}
}

// checkPlainHTTP: plain HTTP redirects served hosts to HTTPS, but not the
// challenge path.
func (r *tlsRun) checkPlainHTTP() {
	t, host := r.t, r.host
	plain := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(h, path string) *http.Response {
		req, _ := http.NewRequest(http.MethodGet, fmt.Sprintf("http://127.0.0.1:%d%s", r.httpPort, path), nil)
		req.Host = h
		resp, err := plain.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	if res := get(host, "/tickets?x=1"); res.StatusCode != http.StatusPermanentRedirect || res.Header.Get("Location") != fmt.Sprintf("https://%s:%d/tickets?x=1", host, r.tlsPort) {
		t.Errorf("plain HTTP on %s = %d to %q", host, res.StatusCode, res.Header.Get("Location"))
	}
	if res := get(host, "/.well-known/acme-challenge/unknown-token"); res.StatusCode == http.StatusPermanentRedirect {
		t.Error("the ACME challenge path was redirected")
	}
	if res := get("nobody.example", "/"); res.StatusCode != http.StatusNotFound {
		t.Errorf("plain HTTP for an unknown host = %d, want 404", res.StatusCode)
	}
	if res := get("nobody.example", "/healthz"); res.StatusCode != http.StatusOK {
		t.Errorf("healthz over plain HTTP = %d", res.StatusCode)
	}
}

// checkRefusedNames: an unverified name and a random name get no
// certificate and no order.
func (r *tlsRun) checkRefusedNames() {
	t := r.t
	orders := r.p.Orders()
	if _, err := r.domains.Add(r.ctx, r.acme.ID, "pending.acme-client.test"); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"pending.acme-client.test", "random-scanner-name.example", "nobody.agencies.workrate.test"} {
		start := time.Now()
		if c, err := handshake(r.tlsPort, name, r.p.Roots); err == nil {
			c.Close()
			t.Errorf("handshake for %s succeeded", name)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("refusing %s took %v", name, d)
		}
	}
	time.Sleep(300 * time.Millisecond)
	if r.p.Orders() != orders {
		t.Errorf("refused names started %d ACME orders", r.p.Orders()-orders)
	}
}

// checkFailedDomain: a domain whose validation fails shows the CA's reason
// and is refused fast afterwards. Its address points where nothing listens.
func (r *tlsRun) checkFailedDomain() {
	t, ctx := r.t, r.ctx
	const broken = "broken.acme-client.test"
	bd, err := r.domains.Add(ctx, r.acme.ID, broken)
	if err != nil {
		t.Fatal(err)
	}
	r.p.DNS.AddDNSARecord(broken, []string{"127.0.0.2"})
	// The operator approves it from the command line (another process): the
	// server picks it up and asks for its certificate by itself.
	cli := &certs.Domains{Store: tenant.NewStore(r.db.DB), Verifier: certs.NewVerifier(r.p.DNSAddr, "edge.workrate.test")}
	if bd, err = cli.Approve(ctx, bd); err != nil || bd.Status != tenant.DomainVerified || bd.VerifiedBy != tenant.VerifiedByOperator {
		t.Fatalf("approve = %+v, %v", bd, err)
	}
	waitFor(t, 60*time.Second, "the failure of "+broken, func() bool {
		d, err := r.ts.DomainByHostname(ctx, broken)
		if err != nil {
			t.Fatal(err)
		}
		return d.CertStatus == tenant.CertFailed
	})
	bd, _ = r.ts.DomainByHostname(ctx, broken)
	if bd.CertError == "" || bd.CertFailedAt == nil || !strings.Contains(bd.CertError, "127.0.0.2") {
		t.Errorf("failed domain shows error %q at %v; want the CA's reason", bd.CertError, bd.CertFailedAt)
	}
	start := time.Now()
	if _, err = handshake(r.tlsPort, broken, r.p.Roots); err == nil {
		t.Error("handshake for a failed domain succeeded")
	}
	if d := time.Since(start); d > 500*time.Millisecond {
		t.Errorf("handshake for a recently failed domain took %v; want a fast refusal", d)
	}
}

// checkCADown: an unreachable CA blocks neither stored certificates nor
// plain pages, on a new instance on the same storage with the CA gone.
func (r *tlsRun) checkCADown() {
	t := r.t
	r.p.Stop()
	http2, tls2 := certstest.FreePort(t), certstest.FreePort(t)
	startTLSApp(t, r.db, r.p, http2, tls2)
	start := time.Now()
	conn, err := handshake(tls2, r.host, r.p.Roots)
	if err != nil {
		t.Fatalf("handshake with the CA down: %v", err)
	}
	conn.Close()
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("handshake with the CA down took %v", d)
	}
	resp, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/healthz", http2))
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Errorf("plain page with the CA down: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}
}

// checkRemoval: removing the domain stops serving it at once.
func (r *tlsRun) checkRemoval() {
	t := r.t
	if err := r.domains.Remove(r.ctx, r.acme.ID, r.host); err != nil {
		t.Fatal(err)
	}
	if c, err := handshake(r.tlsPort, r.host, r.p.Roots); err == nil {
		c.Close()
		t.Error("handshake for a removed domain succeeded")
	}
	if err := r.domains.Remove(r.ctx, r.acme.ID, r.host); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("second removal = %v, want not found", err)
	}
}
