// Package server wires every surface into one HTTP handler and runs it.
package server

import (
	"errors"
	"flag"
	"fmt"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"time"

	"workrate/store"
)

// Config is the whole configuration, from the environment and flags.
type Config struct {
	DatabaseURL string
	// DirectURL reaches PostgreSQL without a transaction-pooling PgBouncer, for
	// what needs a session of its own: LISTEN/NOTIFY and the migration lock.
	DirectURL      string
	HTTPAddr       string
	HTTPSAddr      string
	PlatformHost   string
	AgencyDomain   string
	PlatformName   string
	ACMECA         string
	ACMEEmail      string
	ACMECARoot     string
	CNAMETarget    string
	DNSResolver    string
	TLSCert        string
	TLSKey         string
	SecretKey      string
	TrustedProxies []netip.Prefix
	// ProxyProtocol expects a PROXY protocol header (v1 or v2) on connections
	// from TrustedProxies: the client's address behind a TCP load balancer.
	ProxyProtocol bool
	// OperatorTwoFactor is "required" (every operator enrols before the
	// console opens) or "optional" (WORKRATE_OPERATOR_2FA).
	OperatorTwoFactor string
	TempPasswordTTL   time.Duration
	SessionIdle       time.Duration
	SessionMax        time.Duration
	// TenantRefresh is how often changes made by other processes reach the host map.
	TenantRefresh time.Duration
	// DomainCheckInterval is how often the background checker looks for
	// custom domains whose DNS check is due.
	DomainCheckInterval time.Duration
	// DBWait bounds how long a start waits for an unreachable database (WORKRATE_DB_WAIT).
	DBWait time.Duration
	// RequestTimeout is every request's deadline, which reaches the database
	// (WORKRATE_REQUEST_TIMEOUT).
	RequestTimeout time.Duration
	// ShutdownTimeout bounds a shutdown: requests still running near its end
	// are cancelled and answered 503 (WORKRATE_SHUTDOWN_TIMEOUT).
	ShutdownTimeout time.Duration
	// DisableHTTPChallenge and DisableTLSALPNChallenge leave one ACME
	// challenge type out (for a platform reachable on one port only; tests).
	DisableHTTPChallenge    bool
	DisableTLSALPNChallenge bool
}

// DefaultShutdownTimeout is how long a shutdown waits for requests in flight.
const DefaultShutdownTimeout = 25 * time.Second

// environment reads WORKRATE_* variables as strictly as the flags read their
// arguments: a value that does not parse is remembered, naming the variable
// and the value, and stops the start instead of falling back to the default.
type environment struct {
	errs []error
}

// string returns the variable's value, or def when it is not set.
func (e *environment) string(name, def string) string {
	if v, ok := os.LookupEnv(name); ok {
		return v
	}
	return def
}

// duration parses the variable like a duration flag (90s, 15m, 2h).
func (e *environment) duration(name string, def time.Duration) time.Duration {
	v, ok := os.LookupEnv(name)
	if !ok || v == "" {
		return def
	}
	d, err := time.ParseDuration(strings.TrimSpace(v))
	if err != nil {
		e.errs = append(e.errs, fmt.Errorf("%s=%q is not a duration: write it with a unit, like 90s, 15m or 2h", name, v))
		return def
	}
	return d
}

// bool parses the variable like a boolean flag (true, false, 1, 0).
func (e *environment) bool(name string, def bool) bool {
	v, ok := os.LookupEnv(name)
	if !ok || v == "" {
		return def
	}
	b, err := strconv.ParseBool(strings.TrimSpace(v))
	if err != nil {
		e.errs = append(e.errs, fmt.Errorf("%s=%q is not a boolean: write true or false", name, v))
		return def
	}
	return b
}

// RegisterFlags declares a flag beside each variable, defaulting to the
// environment's value, and returns a function that finishes the Config once
// the flags are parsed. A variable whose value does not parse makes that
// function fail, naming the variable and the value.
func RegisterFlags(fs *flag.FlagSet) func() (Config, error) {
	var c Config
	var e environment
	fs.StringVar(&c.DatabaseURL, "database-url", e.string("WORKRATE_DATABASE_URL", store.DefaultURL), "postgres://… or sqlite://PATH (WORKRATE_DATABASE_URL)")
	fs.StringVar(&c.DirectURL, "database-direct-url", e.string("WORKRATE_DATABASE_DIRECT_URL", ""), "PostgreSQL URL that bypasses a transaction-pooling PgBouncer, for LISTEN/NOTIFY and locks (WORKRATE_DATABASE_DIRECT_URL; default the database URL)")
	fs.StringVar(&c.HTTPAddr, "http-addr", e.string("WORKRATE_HTTP_ADDR", ":8080"), "plain HTTP listener (WORKRATE_HTTP_ADDR)")
	fs.StringVar(&c.HTTPSAddr, "https-addr", e.string("WORKRATE_HTTPS_ADDR", ""), "TLS listener; empty means TLS is off (WORKRATE_HTTPS_ADDR)")
	fs.StringVar(&c.PlatformHost, "platform-host", e.string("WORKRATE_PLATFORM_HOST", "localhost"), "the platform's own host (WORKRATE_PLATFORM_HOST)")
	fs.StringVar(&c.AgencyDomain, "agency-domain", e.string("WORKRATE_AGENCY_DOMAIN", "localhost"), "agencies get <slug>.<this> (WORKRATE_AGENCY_DOMAIN)")
	fs.StringVar(&c.PlatformName, "platform-name", e.string("WORKRATE_PLATFORM_NAME", "WorkRate"), "name shown where no white label applies (WORKRATE_PLATFORM_NAME)")
	fs.StringVar(&c.ACMECA, "acme-ca", e.string("WORKRATE_ACME_CA", "https://acme-v02.api.letsencrypt.org/directory"), "ACME directory URL (WORKRATE_ACME_CA)")
	fs.StringVar(&c.ACMEEmail, "acme-email", e.string("WORKRATE_ACME_EMAIL", ""), "ACME account email (WORKRATE_ACME_EMAIL)")
	fs.StringVar(&c.ACMECARoot, "acme-ca-root", e.string("WORKRATE_ACME_CA_ROOT", ""), "PEM file of an extra root to trust for the ACME CA (WORKRATE_ACME_CA_ROOT)")
	fs.StringVar(&c.CNAMETarget, "cname-target", e.string("WORKRATE_CNAME_TARGET", ""), "host that custom domains point their CNAME at (WORKRATE_CNAME_TARGET; default the platform host)")
	fs.StringVar(&c.DNSResolver, "dns-resolver", e.string("WORKRATE_DNS_RESOLVER", ""), "host:port of the DNS server used to verify domains (WORKRATE_DNS_RESOLVER; default the system's)")
	fs.StringVar(&c.TLSCert, "tls-cert", e.string("WORKRATE_TLS_CERT", ""), "certificate PEM for the platform's own names, e.g. a wildcard (WORKRATE_TLS_CERT)")
	fs.StringVar(&c.TLSKey, "tls-key", e.string("WORKRATE_TLS_KEY", ""), "key PEM for WORKRATE_TLS_CERT (WORKRATE_TLS_KEY)")
	fs.StringVar(&c.SecretKey, "secret-key", e.string("WORKRATE_SECRET_KEY", ""), "key that encrypts secrets at rest (WORKRATE_SECRET_KEY)")
	fs.BoolVar(&c.ProxyProtocol, "proxy-protocol", e.bool("WORKRATE_PROXY_PROTOCOL", false), "expect a PROXY protocol header on connections from the trusted proxies (WORKRATE_PROXY_PROTOCOL)")
	fs.StringVar(&c.OperatorTwoFactor, "operator-2fa", e.string("WORKRATE_OPERATOR_2FA", "optional"), "\"required\": every operator signs in with a second factor (WORKRATE_OPERATOR_2FA; default optional)")
	proxies := fs.String("trusted-proxies", e.string("WORKRATE_TRUSTED_PROXIES", ""), "comma-separated IPs or CIDRs whose X-Forwarded-* headers are believed (WORKRATE_TRUSTED_PROXIES)")
	fs.DurationVar(&c.TempPasswordTTL, "temp-password-ttl", e.duration("WORKRATE_TEMP_PASSWORD_TTL", 7*24*time.Hour), "how long a temporary portal password works (WORKRATE_TEMP_PASSWORD_TTL)")
	fs.DurationVar(&c.SessionIdle, "session-idle", e.duration("WORKRATE_SESSION_IDLE", 2*time.Hour), "sessions end after this long unused (WORKRATE_SESSION_IDLE)")
	fs.DurationVar(&c.SessionMax, "session-max", e.duration("WORKRATE_SESSION_MAX", 7*24*time.Hour), "sessions end after this long in all (WORKRATE_SESSION_MAX)")
	fs.DurationVar(&c.DomainCheckInterval, "domain-check-interval", e.duration("WORKRATE_DOMAIN_CHECK_INTERVAL", 10*time.Second), "how often due DNS checks of custom domains run (WORKRATE_DOMAIN_CHECK_INTERVAL)")
	fs.DurationVar(&c.TenantRefresh, "tenant-refresh", e.duration("WORKRATE_TENANT_REFRESH", 2*time.Second), "how often host changes made elsewhere are picked up (WORKRATE_TENANT_REFRESH)")
	fs.DurationVar(&c.DBWait, "db-wait", e.duration("WORKRATE_DB_WAIT", 60*time.Second), "at start, how long to wait, with backoff, for a database that does not answer yet; 0 does not wait (WORKRATE_DB_WAIT)")
	fs.DurationVar(&c.RequestTimeout, "request-timeout", e.duration("WORKRATE_REQUEST_TIMEOUT", DefaultRequestTimeout), "every request's deadline; a database query still running then is cancelled and the request answers 503 (WORKRATE_REQUEST_TIMEOUT)")
	fs.DurationVar(&c.ShutdownTimeout, "shutdown-timeout", e.duration("WORKRATE_SHUTDOWN_TIMEOUT", DefaultShutdownTimeout), "on SIGTERM, how long requests in flight may take before they are cancelled and answered 503 (WORKRATE_SHUTDOWN_TIMEOUT)")
	return func() (Config, error) {
		if err := errors.Join(e.errs...); err != nil {
			return Config{}, err
		}
		p, err := ParseProxies(*proxies)
		if err != nil {
			return Config{}, fmt.Errorf("WORKRATE_TRUSTED_PROXIES (--trusted-proxies): %w", err)
		}
		c.TrustedProxies = p
		return c, c.validate()
	}
}

// ParseProxies reads a comma-separated list of IPs and CIDR prefixes.
func ParseProxies(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if p, err := netip.ParsePrefix(part); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(part)
		if err != nil {
			return nil, fmt.Errorf("trusted proxies: %q is neither an IP nor a CIDR", part)
		}
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}

func (c *Config) validate() error {
	c.PlatformHost = strings.ToLower(strings.TrimSpace(c.PlatformHost))
	c.AgencyDomain = strings.ToLower(strings.TrimSpace(c.AgencyDomain))
	if c.PlatformHost == "" || c.AgencyDomain == "" {
		return errors.New("platform host and agency domain must not be empty")
	}
	if strings.TrimSpace(c.PlatformName) == "" {
		return errors.New("platform name must not be empty")
	}
	if c.OperatorTwoFactor != "required" && c.OperatorTwoFactor != "optional" {
		return fmt.Errorf("WORKRATE_OPERATOR_2FA (--operator-2fa) must be \"required\" or \"optional\", not %q", c.OperatorTwoFactor)
	}
	if c.ProxyProtocol && len(c.TrustedProxies) == 0 {
		return errors.New("WORKRATE_PROXY_PROTOCOL needs WORKRATE_TRUSTED_PROXIES: the load balancers' addresses")
	}
	if c.DirectURL == "" {
		c.DirectURL = c.DatabaseURL
	}
	if c.CNAMETarget == "" {
		c.CNAMETarget = c.PlatformHost
	}
	if (c.TLSCert == "") != (c.TLSKey == "") {
		return errors.New("WORKRATE_TLS_CERT and WORKRATE_TLS_KEY go together")
	}
	for _, d := range []struct {
		name string
		v    time.Duration
	}{
		{"WORKRATE_SESSION_IDLE (--session-idle)", c.SessionIdle},
		{"WORKRATE_SESSION_MAX (--session-max)", c.SessionMax},
		{"WORKRATE_TEMP_PASSWORD_TTL (--temp-password-ttl)", c.TempPasswordTTL},
		{"WORKRATE_TENANT_REFRESH (--tenant-refresh)", c.TenantRefresh},
		{"WORKRATE_DOMAIN_CHECK_INTERVAL (--domain-check-interval)", c.DomainCheckInterval},
		{"WORKRATE_SHUTDOWN_TIMEOUT (--shutdown-timeout)", c.ShutdownTimeout},
		{"WORKRATE_REQUEST_TIMEOUT (--request-timeout)", c.RequestTimeout},
	} {
		if d.v <= 0 {
			return fmt.Errorf("%s must be positive, not %s", d.name, d.v)
		}
	}
	if c.DBWait < 0 {
		return fmt.Errorf("WORKRATE_DB_WAIT (--db-wait) must not be negative, not %s", c.DBWait)
	}
	return nil
}
