package certs

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/caddyserver/certmagic"
)

// benchIssuer names where the benchmark's certificates are stored; it never issues.
type benchIssuer struct{}

func (benchIssuer) Issue(context.Context, *x509.CertificateRequest) (*certmagic.IssuedCertificate, error) {
	return nil, errors.New("bench: no issuing")
}

func (benchIssuer) IssuerKey() string { return "bench-issuer" }

// selfSigned returns a PEM certificate and key (ECDSA P-256) for name.
func selfSigned(b *testing.B, name string) ([]byte, []byte) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		b.Fatal(err)
	}
	tpl := &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: name}, DNSNames: []string{name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(60 * 24 * time.Hour), KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, &key.PublicKey, key)
	if err != nil {
		b.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		b.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder})
}

// serveTLS accepts on 127.0.0.1 with cfg: each connection finishes its
// handshake, receives one byte (so the client reads its session tickets)
// and is closed.
func serveTLS(b *testing.B, cfg *tls.Config) string {
	ln, err := tls.Listen("tcp", "127.0.0.1:0", cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				_ = c.SetDeadline(time.Now().Add(10 * time.Second))
				if c.(*tls.Conn).Handshake() == nil {
					_, _ = c.Write([]byte{1})
				}
			}()
		}
	}()
	return ln.Addr().String()
}

// handshakes connects b.N times to addr with SNI names from name(i).
func handshakes(b *testing.B, addr string, name func(i int) string, cache tls.ClientSessionCache, wantResume bool) {
	resumed := 0
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		c, err := tls.Dial("tcp", addr, &tls.Config{ServerName: name(i), InsecureSkipVerify: true, ClientSessionCache: cache})
		if err != nil {
			b.Fatal(err)
		}
		var one [1]byte
		if _, err := c.Read(one[:]); err != nil {
			b.Fatal(err)
		}
		if c.ConnectionState().DidResume {
			resumed++
		}
		c.Close()
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "handshakes/s")
	if wantResume && b.N > 1 && resumed < b.N-1 {
		b.Fatalf("%d of %d handshakes resumed", resumed, b.N)
	}
	if !wantResume && resumed > 0 {
		b.Fatalf("%d full handshakes resumed", resumed)
	}
}

// BenchmarkTLSHandshake compares, in one run and with the same client, full
// handshakes on a bare crypto/tls server holding one ECDSA P-256 certificate
// with certmagic holding WORKRATE_BENCH_CERTS (default 10,000) managed
// certificates loaded from storage, SNI spread over all of them; then
// resumed handshakes (session tickets) on certmagic.
func BenchmarkTLSHandshake(b *testing.B) {
	n := 10000
	if v, err := strconv.Atoi(os.Getenv("WORKRATE_BENCH_CERTS")); err == nil && v > 0 {
		n = v
	}
	ctx := context.Background()
	storage := &certmagic.FileStorage{Path: b.TempDir()}
	issuer := benchIssuer{}
	names := make([]string, n)
	for i := range names {
		names[i] = fmt.Sprintf("client%05d.bench.example", i)
		certPEM, keyPEM := selfSigned(b, names[i])
		meta, _ := json.Marshal(map[string]any{"sans": []string{names[i]}, "issuer_data": nil})
		for key, data := range map[string][]byte{
			certmagic.StorageKeys.SiteCert(issuer.IssuerKey(), names[i]):       certPEM,
			certmagic.StorageKeys.SitePrivateKey(issuer.IssuerKey(), names[i]): keyPEM,
			certmagic.StorageKeys.SiteMeta(issuer.IssuerKey(), names[i]):       meta,
		} {
			if err := storage.Store(ctx, key, data); err != nil {
				b.Fatal(err)
			}
		}
	}
	var magic *certmagic.Config
	cache := certmagic.NewCache(certmagic.CacheOptions{GetConfigForCert: func(certmagic.Certificate) (*certmagic.Config, error) { return magic, nil }})
	b.Cleanup(cache.Stop)
	magic = certmagic.New(cache, certmagic.Config{Storage: storage, Issuers: []certmagic.Issuer{issuer}, OCSP: certmagic.OCSPConfig{DisableStapling: true}})
	for _, name := range names {
		if _, err := magic.CacheManagedCertificate(ctx, name); err != nil {
			b.Fatal(err)
		}
	}
	magicCfg := magic.TLSConfig()
	magicCfg.NextProtos = []string{"h2", "http/1.1"}
	magicCfg.MinVersion = tls.VersionTLS12
	if magicCfg.SessionTicketsDisabled {
		b.Fatal("certmagic's TLS config disables session tickets")
	}
	magicAddr := serveTLS(b, magicCfg)

	certPEM, keyPEM := selfSigned(b, "bare.bench.example")
	one, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		b.Fatal(err)
	}
	bareAddr := serveTLS(b, &tls.Config{Certificates: []tls.Certificate{one}, NextProtos: []string{"h2", "http/1.1"}, MinVersion: tls.VersionTLS12})

	// Interleaved rounds, so that a noisy neighbour hits both sides alike.
	for round := 1; round <= 3; round++ {
		b.Run(fmt.Sprintf("round%d/bare-one-cert-full", round), func(b *testing.B) {
			handshakes(b, bareAddr, func(int) string { return "bare.bench.example" }, nil, false)
		})
		b.Run(fmt.Sprintf("round%d/certmagic-%d-certs-full", round, n), func(b *testing.B) {
			handshakes(b, magicAddr, func(i int) string { return names[(i*7919)%n] }, nil, false)
		})
		b.Run(fmt.Sprintf("round%d/certmagic-%d-certs-resumed", round, n), func(b *testing.B) {
			handshakes(b, magicAddr, func(int) string { return names[0] }, tls.NewLRUClientSessionCache(16), true)
		})
	}
}
