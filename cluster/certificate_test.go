package cluster

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"testing"
	"time"

	"workrate/certs/certstest"
	"workrate/store"
	"workrate/tenant"
)

// TestOneCertificateForTwoInstances: two instances learn at the same moment
// that a custom domain is verified; between them they place ONE order with
// the ACME server (Pebble), and both serve the same certificate, which
// chains to Pebble's root.
func TestOneCertificateForTwoInstances(t *testing.T) {
	db := database(t)
	http1, tls1 := certstest.FreePort(t), certstest.FreePort(t)
	http2, tls2 := certstest.FreePort(t), certstest.FreePort(t)
	// Pebble validates on instance 1's ports; certmagic keeps challenge
	// tokens in the shared storage, so whichever instance ordered, instance 1 can answer.
	pebble := certstest.Start(t, http1, tls1)
	env := func(tlsPort int) []string {
		return []string{
			fmt.Sprintf("WORKRATE_HTTPS_ADDR=127.0.0.1:%d", tlsPort),
			"WORKRATE_ACME_CA=" + pebble.DirectoryURL,
			"WORKRATE_ACME_CA_ROOT=" + pebble.CARootFile,
			"WORKRATE_ACME_EMAIL=ops@cluster.example",
			"WORKRATE_DNS_RESOLVER=" + pebble.DNSAddr,
			"WORKRATE_TENANT_REFRESH=300ms",
		}
	}
	startAt(t, fmt.Sprintf("127.0.0.1:%d", http1), db.URL, env(tls1)...)
	startAt(t, fmt.Sprintf("127.0.0.1:%d", http2), db.URL, env(tls2)...)
	ctx := context.Background()
	a, err := tenant.NewStore(db.DB).CreateAgency(ctx, "Cert Co", "certco")
	if err != nil {
		t.Fatal(err)
	}
	host := "portal.certco.example"
	now := store.Now()
	if _, err := db.NewRaw("INSERT INTO domains (id, agency_id, hostname, status, verification_token, verified_at, created_at, updated_at) VALUES (?, ?, ?, ?, 'tok', ?, ?, ?)",
		store.NewID(), a.ID, host, tenant.DomainVerified, now, now, now).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	serial := func(port int) (string, error) {
		conn, err := tls.DialWithDialer(&netDialer, "tcp", fmt.Sprintf("127.0.0.1:%d", port), &tls.Config{ServerName: host, RootCAs: pebble.Roots})
		if err != nil {
			return "", err
		}
		defer conn.Close()
		return conn.ConnectionState().PeerCertificates[0].SerialNumber.String(), nil
	}
	var s1, s2 string
	var err1, err2 error
	if d, ok := eventually(30*time.Second, func() bool {
		s1, err1 = serial(tls1)
		s2, err2 = serial(tls2)
		return err1 == nil && err2 == nil
	}); !ok {
		t.Fatalf("no trusted certificate on both instances after %v: %v; %v", d, err1, err2)
	} else {
		t.Logf("both instances serve a certificate %v after the domain was verified", d)
	}
	if s1 != s2 {
		t.Errorf("instances serve different certificates: %s and %s", s1, s2)
	}
	time.Sleep(time.Second) // a late second order would show now
	if n := pebble.Orders(); n != 1 {
		t.Errorf("Pebble received %d orders, want 1", n)
	}
}

// netDialer bounds TLS dials in the test.
var netDialer = net.Dialer{Timeout: 3 * time.Second}
