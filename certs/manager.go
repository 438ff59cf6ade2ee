package certs

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/caddyserver/certmagic"
	"github.com/mholt/acmez/v3"

	"workrate/tenant"
)

// Config is how the Manager talks to the CA and where challenges are answered.
type Config struct {
	CA     string // ACME directory URL
	Email  string // ACME account email (may be empty)
	CARoot string // PEM file of an extra root trusted for talking to the CA

	// Where this process answers challenges: the plain HTTP listener (HTTP-01)
	// and the TLS listener (TLS-ALPN-01). certmagic finds them in use and
	// relies on HTTPChallengeHandler and TLSConfig to answer.
	ListenHost string
	HTTPPort   int
	TLSPort    int

	DisableHTTPChallenge    bool
	DisableTLSALPNChallenge bool

	Storage certmagic.Storage

	// CertFile and KeyFile, when set, are served for the platform's own names
	// they cover (e.g. a wildcard for the agency subdomains); other platform
	// names are obtained on demand.
	CertFile string
	KeyFile  string

	// DenyFor is how long a name whose certificate failed is refused at the
	// handshake without trying again (default 5 minutes).
	DenyFor time.Duration
	// Poll is how often the list of verified domains is read, so that domains
	// verified or removed by another process (the command line, another
	// instance) are managed or dropped here too (default 5s).
	Poll time.Duration
	// Sweep is how often every verified domain is managed again, so that a
	// certificate obtained or renewed elsewhere is reloaded (default 1 hour).
	Sweep time.Duration
}

// Manager serves certificates: the platform's own names and verified custom
// domains of active agencies, decided from memory on every handshake.
type Manager struct {
	cfg      Config
	resolver *tenant.Resolver
	store    *tenant.Store

	cache    *certmagic.Cache
	managed  *certmagic.Config // obtains in the background and renews on a timer
	onDemand *certmagic.Config // answers handshakes; obtains only as a fallback
	issuer   *certmagic.ACMEIssuer
	deny     *denyList

	ctx     context.Context
	cancel  context.CancelFunc
	mu      sync.Mutex
	known   map[string]bool // verified domains this instance manages
	updates chan certUpdate
	wg      sync.WaitGroup
	stopped sync.Once
}

// NewManager builds the manager; call Start once the listeners are up, and
// Stop at the end.
func NewManager(cfg Config, resolver *tenant.Resolver, st *tenant.Store) (*Manager, error) {
	if cfg.Storage == nil {
		return nil, errors.New("certs: no certificate storage")
	}
	if cfg.DenyFor <= 0 {
		cfg.DenyFor = 5 * time.Minute
	}
	if cfg.Poll <= 0 {
		cfg.Poll = 5 * time.Second
	}
	if cfg.Sweep <= 0 {
		cfg.Sweep = time.Hour
	}
	var roots *x509.CertPool
	if cfg.CARoot != "" {
		pem, err := os.ReadFile(cfg.CARoot)
		if err != nil {
			return nil, fmt.Errorf("certs: read ACME CA root: %w", err)
		}
		if roots, err = x509.SystemCertPool(); err != nil || roots == nil {
			roots = x509.NewCertPool()
		}
		if !roots.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("certs: %s holds no PEM certificate", cfg.CARoot)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	m := &Manager{
		cfg: cfg, resolver: resolver, store: st,
		deny: newDenyList(cfg.DenyFor, 10000),
		ctx:  ctx, cancel: cancel, updates: make(chan certUpdate, 256),
		known: map[string]bool{},
	}
	logger := newLogger()
	m.cache = certmagic.NewCache(certmagic.CacheOptions{
		// Every certificate, however it was loaded, is renewed on a timer by the
		// managed config: also for domains nobody visits.
		GetConfigForCert: func(certmagic.Certificate) (*certmagic.Config, error) { return m.managed, nil },
		Logger:           logger,
	})
	base := certmagic.Config{
		Storage: cfg.Storage,
		OnEvent: m.onEvent,
		Logger:  logger,
		// OCSP stapling would make the first handshake for a certificate call
		// out; Let's Encrypt has ended OCSP anyway.
		OCSP: certmagic.OCSPConfig{DisableStapling: true},
	}
	m.managed = certmagic.New(m.cache, base)
	// Retries go to the staging CA when the CA is Let's Encrypt's (certmagic's
	// default, kind to rate limits); any other CA is retried as it is.
	testCA := ""
	if cfg.CA != certmagic.LetsEncryptProductionCA {
		testCA = cfg.CA
	}
	m.issuer = certmagic.NewACMEIssuer(m.managed, certmagic.ACMEIssuer{
		CA: cfg.CA, TestCA: testCA, Email: cfg.Email, Agreed: true, TrustedRoots: roots,
		ListenHost: cfg.ListenHost, AltHTTPPort: cfg.HTTPPort, AltTLSALPNPort: cfg.TLSPort,
		DisableHTTPChallenge: cfg.DisableHTTPChallenge, DisableTLSALPNChallenge: cfg.DisableTLSALPNChallenge,
		Logger: logger,
	})
	m.managed.Issuers = []certmagic.Issuer{m.issuer}
	od := base
	od.Issuers = []certmagic.Issuer{m.issuer}
	od.OnDemand = &certmagic.OnDemandConfig{DecisionFunc: m.decide}
	m.onDemand = certmagic.New(m.cache, od)

	if cfg.CertFile != "" || cfg.KeyFile != "" {
		if _, err := m.managed.CacheUnmanagedCertificatePEMFile(ctx, cfg.CertFile, cfg.KeyFile, nil); err != nil {
			m.Stop()
			return nil, fmt.Errorf("certs: load platform certificate: %w", err)
		}
	}
	m.wg.Add(1)
	go m.recordUpdates()
	return m, nil
}

// Start manages every verified custom domain (loading stored certificates,
// renewing or obtaining them in the background), follows the list every Poll
// and manages them all again every Sweep.
func (m *Manager) Start(ctx context.Context) {
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		poll := time.NewTicker(m.cfg.Poll)
		defer poll.Stop()
		last := time.Time{}
		for {
			all := time.Since(last) >= m.cfg.Sweep
			if err := m.follow(ctx, all); err != nil {
				if ctx.Err() != nil || m.ctx.Err() != nil {
					return
				}
				slog.WarnContext(ctx, "certs: follow verified domains", "err", err)
			} else if all {
				last = time.Now()
			}
			select {
			case <-ctx.Done():
				return
			case <-m.ctx.Done():
				return
			case <-poll.C:
			}
		}
	}()
}

// follow manages the verified domains of active agencies not managed here
// yet (all of them when all is set), and drops from memory those no longer
// served (removed elsewhere, unverified, agency suspended).
func (m *Manager) follow(ctx context.Context, all bool) error {
	hosts, err := m.store.VerifiedDomains(ctx)
	if err != nil {
		return err
	}
	served := make(map[string]bool, len(hosts))
	var manage []string
	m.mu.Lock()
	for _, h := range hosts {
		if !m.resolver.Allowed(h) {
			continue // not in the host map yet, or its agency is suspended
		}
		served[h] = true
		if all || !m.known[h] {
			manage = append(manage, h)
		}
	}
	var drop []certmagic.SubjectIssuer
	for h := range m.known {
		if !served[h] {
			drop = append(drop, certmagic.SubjectIssuer{Subject: h})
		}
	}
	m.known = served
	m.mu.Unlock()
	if len(drop) > 0 {
		m.cache.RemoveManaged(drop)
	}
	if len(manage) > 0 {
		return m.managed.ManageAsync(m.ctx, manage)
	}
	return nil
}

// Obtain starts obtaining (or loading) a verified domain's certificate in the
// background at once, so that its first visitor never waits.
func (m *Manager) Obtain(host string) {
	m.deny.remove(host)
	m.mu.Lock()
	m.known[host] = true
	m.mu.Unlock()
	if err := m.managed.ManageAsync(m.ctx, []string{host}); err != nil {
		slog.Warn("certs: manage domain", "host", host, "err", err)
	}
}

// Forget stops serving a removed domain's certificate at once on this
// instance and deletes it from storage.
func (m *Manager) Forget(host string) {
	m.deny.remove(host)
	m.mu.Lock()
	delete(m.known, host)
	m.mu.Unlock()
	m.cache.RemoveManaged([]certmagic.SubjectIssuer{{Subject: host}})
	ctx, cancel := context.WithTimeout(m.ctx, 30*time.Second)
	defer cancel()
	if err := m.cfg.Storage.Delete(ctx, certmagic.StorageKeys.CertsSitePrefix(m.issuer.IssuerKey(), host)); err != nil {
		slog.Warn("certs: delete stored certificate", "host", host, "err", err)
	}
}

// Denied returns why a name is refused at the handshake for now, if it is.
func (m *Manager) Denied(host string) (string, bool) { return m.deny.get(host) }

// Stop ends background work and waits for pending status writes.
func (m *Manager) Stop() {
	m.stopped.Do(func() {
		m.cancel()
		m.cache.Stop()
		m.wg.Wait()
	})
}

// TLSConfig is the configuration of the TLS listener: HTTP/2, HTTP/1.1 and
// the TLS-ALPN-01 challenge.
func (m *Manager) TLSConfig() *tls.Config {
	c := m.onDemand.TLSConfig()
	c.GetCertificate = m.getCertificate
	c.NextProtos = []string{"h2", "http/1.1", acmez.ACMETLS1Protocol}
	c.MinVersion = tls.VersionTLS12
	return c
}

// HTTPChallengeHandler answers ACME HTTP-01 challenges (of any instance: they
// are in the shared storage) and hands every other request to h.
func (m *Manager) HTTPChallengeHandler(h http.Handler) http.Handler {
	return m.issuer.HTTPChallengeHandler(h)
}

var (
	errNoSNI     = errors.New("certs: no server name in the handshake")
	errNotServed = errors.New("certs: this platform does not serve that name")
)

// getCertificate decides from memory before anything else: a name the
// platform does not serve costs no storage read and no ACME order, and a
// name that failed recently is refused at once.
func (m *Manager) getCertificate(hello *tls.ClientHelloInfo) (*tls.Certificate, error) {
	if hello.ServerName == "" {
		return nil, errNoSNI
	}
	name, err := tenant.NormalizeHost(hello.ServerName)
	if err != nil || !m.allowed(name) {
		return nil, errNotServed
	}
	challenge := len(hello.SupportedProtos) == 1 && hello.SupportedProtos[0] == acmez.ACMETLS1Protocol
	if !challenge {
		if reason, denied := m.deny.get(name); denied {
			return nil, fmt.Errorf("certs: %s failed recently: %s", name, reason)
		}
	}
	return m.onDemand.GetCertificate(hello)
}

// decide is the on-demand decision: also asked before loading a stored
// certificate. It answers from memory.
func (m *Manager) decide(_ context.Context, name string) error {
	if !m.allowed(name) {
		return errNotServed
	}
	return nil
}

// allowed reports whether the platform serves name over TLS: its own host, an
// active agency's subdomain, or a verified custom domain of an active agency.
func (m *Manager) allowed(name string) bool {
	t := m.resolver.Resolve(name)
	switch {
	case t.Kind == tenant.Platform:
		return true
	case t.Kind == tenant.AgencyHost && t.Custom:
		return m.resolver.Allowed(name)
	case t.Kind == tenant.AgencyHost:
		return true
	}
	return false
}
