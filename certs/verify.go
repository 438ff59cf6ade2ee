package certs

import (
	"context"
	"errors"
	"net"
	"slices"
	"strings"
	"time"

	"workrate/tenant"
)

// Verifier checks a custom domain's DNS: the TXT record
// _workrate-challenge.<hostname> holds the domain's token (proof of control)
// and the hostname points at the platform (a CNAME to the target, or the
// same addresses as the target for names that cannot have a CNAME).
type Verifier struct {
	resolver *net.Resolver
	target   string
	timeout  time.Duration
}

// NewVerifier returns a verifier asking server ("host:port"; empty: the
// system's resolver) and expecting hostnames to point at target.
func NewVerifier(server, target string) *Verifier {
	r := net.DefaultResolver
	if server != "" {
		r = &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, network, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, network, server)
		}}
	}
	return &Verifier{resolver: r, target: normalName(target), timeout: 10 * time.Second}
}

// Target is the host that custom domains point their CNAME at.
func (v *Verifier) Target() string { return v.target }

func normalName(s string) string { return strings.ToLower(strings.TrimSuffix(s, ".")) }

// Check looks the records up and returns the domain's new status with what
// was found: verified when both records are right; pending when nothing is
// there yet; misconfigured when something is there but not what is expected.
// A lookup that failed (rather than found nothing) keeps the status as it was.
func (v *Verifier) Check(ctx context.Context, d *tenant.Domain) (string, tenant.DNSDetail) {
	ctx, cancel := context.WithTimeout(ctx, v.timeout)
	defer cancel()
	det := tenant.DNSDetail{Expected: v.target}
	found := false

	// Absolute names (trailing dot): no search domains.
	txts, err := v.resolver.LookupTXT(ctx, tenant.ChallengeName(d.Hostname)+".")
	if failed(err) {
		det.LookupFailure = err.Error()
		return d.Status, det
	}
	det.TXTFound = txts
	for _, t := range txts {
		if strings.TrimSpace(t) == d.VerificationToken {
			det.TXTOK = true
		}
	}
	found = found || len(txts) > 0

	cname, err := v.resolver.LookupCNAME(ctx, d.Hostname+".")
	if failed(err) {
		det.LookupFailure = err.Error()
		return d.Status, det
	}
	if cname = normalName(cname); cname != "" && cname != d.Hostname {
		det.CNAME = cname
		found = true
	}
	if cname == v.target {
		det.TargetOK = true
	} else {
		addrs, err := v.resolver.LookupHost(ctx, d.Hostname+".")
		if failed(err) {
			det.LookupFailure = err.Error()
			return d.Status, det
		}
		slices.Sort(addrs)
		det.Addresses = addrs
		found = found || len(addrs) > 0
		if len(addrs) > 0 {
			want, err := v.resolver.LookupHost(ctx, v.target+".")
			if err == nil && subset(addrs, want) {
				det.TargetOK = true
			}
		}
	}
	switch {
	case det.TXTOK && det.TargetOK:
		return tenant.DomainVerified, det
	case found:
		return tenant.DomainMisconfigured, det
	default:
		return tenant.DomainPending, det
	}
}

// failed reports a lookup error other than "no such name/record". An empty
// answer from a server that is neither authoritative nor recursive (a test
// DNS server, or WORKRATE_DNS_RESOLVER pointing at an authoritative server
// that does not set the flag) is reported by Go as a "lame referral": for
// verification it means the same as no record.
func failed(err error) bool {
	if err == nil {
		return false
	}
	var de *net.DNSError
	if errors.As(err, &de) && (de.IsNotFound || de.Err == "lame referral") {
		return false
	}
	return true
}

func subset(a, b []string) bool {
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	return true
}
