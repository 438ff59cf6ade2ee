package certs

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/caddyserver/certmagic"
	"github.com/mholt/acmez/v3/acme"

	"workrate/certs/certstest"
	"workrate/migrations/testdb"
	"workrate/tenant"
)

// countingStorage counts every call that reaches the storage.
type countingStorage struct {
	certmagic.Storage
	calls atomic.Int64
}

func (s *countingStorage) Load(ctx context.Context, k string) ([]byte, error) {
	s.calls.Add(1)
	return s.Storage.Load(ctx, k)
}
func (s *countingStorage) Exists(ctx context.Context, k string) bool {
	s.calls.Add(1)
	return s.Storage.Exists(ctx, k)
}
func (s *countingStorage) Stat(ctx context.Context, k string) (certmagic.KeyInfo, error) {
	s.calls.Add(1)
	return s.Storage.Stat(ctx, k)
}
func (s *countingStorage) List(ctx context.Context, k string, r bool) ([]string, error) {
	s.calls.Add(1)
	return s.Storage.List(ctx, k, r)
}
func (s *countingStorage) Lock(ctx context.Context, k string) error {
	s.calls.Add(1)
	return s.Storage.Lock(ctx, k)
}

// fixture is an agency with a verified and a pending custom domain, and a
// suspended agency with a verified one.
func fixture(t *testing.T, db testdb.DB) (*tenant.Store, *tenant.Resolver) {
	t.Helper()
	ctx := context.Background()
	ts := tenant.NewStore(db.DB)
	acme, err := ts.CreateAgency(ctx, "Acme", "acme")
	if err != nil {
		t.Fatal(err)
	}
	gone, err := ts.CreateAgency(ctx, "Gone", "gone")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ agency, host, status string }{
		{acme.ID, "app.acme.test", tenant.DomainVerified},
		{acme.ID, "pending.acme.test", tenant.DomainPending},
		{gone.ID, "app.gone.test", tenant.DomainVerified},
	} {
		d, err := ts.AddDomain(ctx, c.agency, c.host)
		if err != nil {
			t.Fatal(err)
		}
		if err := ts.SetDomainStatus(ctx, d.ID, c.status, "", tenant.VerifiedByOperator, nil); err != nil {
			t.Fatal(err)
		}
	}
	if err := ts.SetStatus(ctx, gone.ID, tenant.StatusSuspended); err != nil {
		t.Fatal(err)
	}
	r := tenant.NewResolver(db.DB, tenant.Config{PlatformHost: "workrate.test", AgencyDomain: "agencies.workrate.test", PlatformName: "WorkRate"})
	if err := r.Load(ctx); err != nil {
		t.Fatal(err)
	}
	return ts, r
}

func newTestManager(t *testing.T, cfg Config, r *tenant.Resolver, ts *tenant.Store) *Manager {
	t.Helper()
	m, err := NewManager(cfg, r, ts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(m.Stop)
	return m
}

func TestHandshakeDecisionCostsNothing(t *testing.T) {
	db := testdb.SQLite(t)
	ts, r := fixture(t, db)
	st := &countingStorage{Storage: &certmagic.FileStorage{Path: t.TempDir()}}
	// A CA nobody answers at: any attempt to use it would hang the test.
	m := newTestManager(t, Config{CA: "https://127.0.0.1:9/dir", Storage: st, ListenHost: "127.0.0.1", HTTPPort: 9, TLSPort: 9}, r, ts)
	getCert := m.TLSConfig().GetCertificate

	for _, name := range []string{
		"random-scanner.example", "pending.acme.test", "app.gone.test", "gone.agencies.workrate.test",
		"nobody.agencies.workrate.test", "x.acme.agencies.workrate.test", "", "bad name", "127.0.0.1",
	} {
		start := time.Now()
		_, err := getCert(&tls.ClientHelloInfo{ServerName: name})
		if err == nil {
			t.Errorf("certificate for %q", name)
		}
		if d := time.Since(start); d > 50*time.Millisecond {
			t.Errorf("refusing %q took %v", name, d)
		}
	}
	if n := st.calls.Load(); n != 0 {
		t.Errorf("refused handshakes made %d storage calls", n)
	}
	for _, name := range []string{"app.acme.test", "workrate.test", "acme.agencies.workrate.test"} {
		if err := m.decide(context.Background(), name); err != nil {
			t.Errorf("decide(%s) = %v, want allowed", name, err)
		}
	}
}

// The operator's certificate (a wildcard for the agency subdomains) is served
// from memory: no storage read, no CA.
func TestPlatformCertificateFromFiles(t *testing.T) {
	db := testdb.SQLite(t)
	ts, r := fixture(t, db)
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(42), Subject: pkix.Name{CommonName: "*.agencies.workrate.test"},
		DNSNames:  []string{"*.agencies.workrate.test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(90 * 24 * time.Hour),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	st := &countingStorage{Storage: &certmagic.FileStorage{Path: t.TempDir()}}
	m := newTestManager(t, Config{CA: "https://127.0.0.1:9/dir", Storage: st, CertFile: certFile, KeyFile: keyFile}, r, ts)
	calls := st.calls.Load()
	c, err := m.TLSConfig().GetCertificate(&tls.ClientHelloInfo{ServerName: "acme.agencies.workrate.test"})
	if err != nil {
		t.Fatal(err)
	}
	if leaf, _ := x509.ParseCertificate(c.Certificate[0]); leaf == nil || leaf.SerialNumber.Int64() != 42 {
		t.Error("the operator's certificate was not served")
	}
	if n := st.calls.Load() - calls; n != 0 {
		t.Errorf("serving the operator's certificate made %d storage calls", n)
	}
	// A suspended agency's subdomain is refused even though the wildcard covers it.
	if _, err := m.TLSConfig().GetCertificate(&tls.ClientHelloInfo{ServerName: "gone.agencies.workrate.test"}); err == nil {
		t.Error("a suspended agency's subdomain got a certificate")
	}
	if _, err := NewManager(Config{Storage: st, CertFile: certFile, KeyFile: certFile}, r, ts); err == nil {
		t.Error("a certificate file as its own key was accepted")
	}
}

func TestFailureIsRecordedAndDeniedFast(t *testing.T) {
	db := testdb.SQLite(t)
	ts, r := fixture(t, db)
	m := newTestManager(t, Config{CA: "https://127.0.0.1:9/dir", Storage: &certmagic.FileStorage{Path: t.TempDir()}}, r, ts)
	ctx := context.Background()
	problem := acme.Problem{Type: "urn:ietf:params:acme:error:dns", Detail: "no valid A records found for app.acme.test"}
	_ = m.onEvent(ctx, "cert_obtaining", map[string]any{"identifier": "app.acme.test"})
	_ = m.onEvent(ctx, "cert_failed", map[string]any{"identifier": "app.acme.test", "renewal": false, "error": fmt.Errorf("[app.acme.test] Obtain: %w", problem)})

	start := time.Now()
	_, err := m.TLSConfig().GetCertificate(&tls.ClientHelloInfo{ServerName: "app.acme.test"})
	if err == nil || !strings.Contains(err.Error(), "no valid A records") || time.Since(start) > 50*time.Millisecond {
		t.Errorf("handshake after a failure = %v after %v; want a fast refusal with the reason", err, time.Since(start))
	}
	// A handshake that was already waiting gives up rather than retrying.
	hello := context.WithValue(ctx, certmagic.ClientHelloInfoCtxKey, &tls.ClientHelloInfo{ServerName: "app.acme.test"})
	if err := m.onEvent(hello, "cert_obtaining", map[string]any{"identifier": "app.acme.test"}); err == nil {
		t.Error("a waiting handshake may start a new attempt for a denied name")
	}
	// Background retries go on; names no longer served stop.
	if err := m.onEvent(ctx, "cert_obtaining", map[string]any{"identifier": "app.acme.test"}); err != nil {
		t.Errorf("background retry refused: %v", err)
	}
	if err := m.onEvent(ctx, "cert_obtaining", map[string]any{"identifier": "app.gone.test"}); err == nil {
		t.Error("obtaining for a suspended agency's domain was not stopped")
	}
	waitFor(t, func() bool {
		d, _ := ts.DomainByHostname(ctx, "app.acme.test")
		return d.CertStatus == tenant.CertIssuing // the last event recorded, in order
	})
	_ = m.onEvent(ctx, "cert_failed", map[string]any{"identifier": "app.acme.test", "error": problem})
	waitFor(t, func() bool {
		d, _ := ts.DomainByHostname(ctx, "app.acme.test")
		return d.CertStatus == tenant.CertFailed && d.CertError == "dns: no valid A records found for app.acme.test" && d.CertFailedAt != nil
	})
	// A renewal failure keeps serving the current certificate: no denial.
	m.deny.remove("app.acme.test")
	_ = m.onEvent(ctx, "cert_failed", map[string]any{"identifier": "app.acme.test", "renewal": true, "error": problem})
	if _, denied := m.Denied("app.acme.test"); denied {
		t.Error("a renewal failure denied the name")
	}
	waitFor(t, func() bool {
		d, _ := ts.DomainByHostname(ctx, "app.acme.test")
		return d.CertStatus == tenant.CertRenewalFailing
	})
}

func waitFor(t *testing.T, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatal("timed out")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Two instances (own caches, own storage values on one PostgreSQL) race to
// obtain the same name: one ACME order, one certificate, served by both.
func TestTwoInstancesObtainOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("starts an ACME server")
	}
	db := testdb.Postgres(t)
	ts, r := fixture(t, db)
	httpPort := certstest.FreePort(t)
	p := certstest.Start(t, httpPort, certstest.FreePort(t))
	cfg := func() Config {
		return Config{
			CA: p.DirectoryURL, CARoot: p.CARootFile, ListenHost: "127.0.0.1", HTTPPort: httpPort,
			DisableTLSALPNChallenge: true, Storage: NewPGStorage(db.DB, PGOptions{PollInterval: 50 * time.Millisecond}),
		}
	}
	one := newTestManager(t, cfg(), r, ts)
	two := newTestManager(t, cfg(), r, ts)
	// One plain listener answers HTTP-01 for both: the challenge is in the
	// shared storage, whichever instance started the order.
	ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", httpPort))
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: one.HTTPChallengeHandler(http.NotFoundHandler())}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, m := range []*Manager{one, two} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = m.managed.ObtainCertSync(ctx, "app.acme.test")
		}()
	}
	wg.Wait()
	if errs[0] != nil || errs[1] != nil {
		t.Fatalf("obtain: %v; %v", errs[0], errs[1])
	}
	if n := p.Orders(); n != 1 {
		t.Errorf("ACME orders = %d, want 1", n)
	}
	a, err := one.managed.CacheManagedCertificate(ctx, "app.acme.test")
	if err != nil {
		t.Fatal(err)
	}
	b, err := two.managed.CacheManagedCertificate(ctx, "app.acme.test")
	if err != nil {
		t.Fatal(err)
	}
	if a.Leaf.SerialNumber.Cmp(b.Leaf.SerialNumber) != 0 {
		t.Errorf("the instances serve different certificates: %v and %v", a.Leaf.SerialNumber, b.Leaf.SerialNumber)
	}
	var locks int
	if err := db.NewRaw("SELECT count(*) FROM cert_locks").Scan(ctx, &locks); err != nil || locks != 0 {
		t.Errorf("locks left behind: %d, %v", locks, err)
	}
}
