// Package certstest runs Pebble, a real ACME server, and its challenge DNS
// server in-process on loopback for tests of certificate issuance.
package certstest

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/letsencrypt/challtestsrv"
	"github.com/letsencrypt/pebble/v2/ca"
	"github.com/letsencrypt/pebble/v2/db"
	"github.com/letsencrypt/pebble/v2/va"
	"github.com/letsencrypt/pebble/v2/wfe"
	"github.com/miekg/dns"
)

// Pebble is a running ACME server with its DNS server.
type Pebble struct {
	// DirectoryURL is the ACME directory (WORKRATE_ACME_CA).
	DirectoryURL string
	// CARootFile is a PEM file of the certificate the ACME endpoint itself
	// presents (WORKRATE_ACME_CA_ROOT).
	CARootFile string
	// Roots holds Pebble's issuing root: certificates it issues chain to it.
	Roots *x509.CertPool
	// DNS answers every name with 127.0.0.1 (no IPv6), plus the records tests
	// add; DNSAddr is its "host:port".
	DNS     *challtestsrv.ChallSrv
	DNSAddr string

	acme   *httptest.Server
	orders atomic.Int64
}

// Start runs Pebble, whose validation authority checks HTTP-01 on httpPort
// and TLS-ALPN-01 on tlsPort of whatever the DNS server answers (127.0.0.1),
// and a DNS server; both stop when the test ends. Tests using it must not
// run in parallel (Pebble reads its settings from the environment, and the
// DNS server's handler is process-wide).
func Start(t testing.TB, httpPort, tlsPort int) *Pebble {
	t.Helper()
	t.Setenv("PEBBLE_VA_NOSLEEP", "1")      // validate at once
	t.Setenv("PEBBLE_WFE_NONCEREJECT", "0") // no random bad nonces
	t.Setenv("PEBBLE_AUTHZREUSE", "0")      // every order validates again
	logger := log.New(io.Discard, "", 0)
	if testing.Verbose() {
		logger = log.New(testWriter{t}, "pebble ", 0)
	}

	p := &Pebble{DNSAddr: fmt.Sprintf("127.0.0.1:%d", FreePort(t))}
	srv, err := challtestsrv.New(challtestsrv.Config{DNSAddrs: []string{p.DNSAddr}, Log: logger})
	if err != nil {
		t.Fatal(err)
	}
	srv.SetDefaultDNSIPv6("") // the validation authority must dial 127.0.0.1
	srv.Run()
	t.Cleanup(srv.Shutdown)
	p.DNS = srv
	waitForDNS(t, p.DNSAddr)

	store := db.NewMemoryStore()
	authority := ca.New(logger, store, "", "rsa", 0, 1, map[string]ca.Profile{"default": {Description: "default"}})
	validator := va.New(logger, httpPort, tlsPort, false, p.DNSAddr, store)
	front := wfe.New(logger, store, validator, authority, []string{"pebble.letsencrypt.org"}, false, false, 0, 0)
	handler := front.Handler()
	p.acme = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && r.URL.Path == "/order-plz" {
			p.orders.Add(1)
		}
		handler.ServeHTTP(w, r)
	}))
	p.acme.Config.ErrorLog = logger
	p.acme.StartTLS()
	t.Cleanup(p.acme.Close)
	p.DirectoryURL = p.acme.URL + wfe.DirectoryPath

	p.CARootFile = filepath.Join(t.TempDir(), "acme-ca.pem")
	endpoint := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: p.acme.Certificate().Raw})
	if err := os.WriteFile(p.CARootFile, endpoint, 0o600); err != nil {
		t.Fatal(err)
	}
	p.Roots = x509.NewCertPool()
	p.Roots.AddCert(authority.GetRootCert(0).Cert)
	return p
}

// Orders is how many new-order requests Pebble has received.
func (p *Pebble) Orders() int { return int(p.orders.Load()) }

// Stop makes the CA unreachable (its port closes).
func (p *Pebble) Stop() { p.acme.Close() }

// FreePort returns a loopback TCP port that was free a moment ago (and
// whose UDP twin too, for the DNS server).
func FreePort(t testing.TB) int {
	t.Helper()
	for range 20 {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		port := l.Addr().(*net.TCPAddr).Port
		u, err := net.ListenPacket("udp", fmt.Sprintf("127.0.0.1:%d", port))
		l.Close()
		if err == nil {
			u.Close()
			return port
		}
	}
	t.Fatal("certstest: no free port")
	return 0
}

// waitForDNS waits until the DNS server answers over TCP and UDP.
func waitForDNS(t testing.TB, addr string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for _, network := range []string{"tcp", "udp"} {
		c := &dns.Client{Net: network, Timeout: 200 * time.Millisecond}
		for {
			m := new(dns.Msg)
			m.SetQuestion("ready.test.", dns.TypeA)
			if _, _, err := c.ExchangeContext(context.Background(), m, addr); err == nil {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("certstest: DNS server at %s (%s) not answering", addr, network)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(b []byte) (int, error) {
	w.t.Log(string(b))
	return len(b), nil
}
