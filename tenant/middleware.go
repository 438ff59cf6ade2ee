package tenant

import (
	"net"
	"net/netip"

	"github.com/gin-gonic/gin"
)

// contextKey is where the middleware puts the request's Tenant.
const contextKey = "workrate.tenant"

// Proxies lists the peers whose X-Forwarded-* headers are believed.
type Proxies []netip.Prefix

// Trusts reports whether the peer address (host:port or host) is a trusted proxy.
func (p Proxies) Trusts(remoteAddr string) bool {
	if len(p) == 0 {
		return false
	}
	host, _, err := net.SplitHostPort(remoteAddr)
	if err != nil {
		host = remoteAddr
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return false
	}
	ip = ip.Unmap()
	for _, pr := range p {
		if pr.Contains(ip) {
			return true
		}
	}
	return false
}

// RequestHost is the host a request names: the Host header, or X-Forwarded-Host
// when the peer is a trusted proxy.
func (p Proxies) RequestHost(c *gin.Context) string {
	if h := c.GetHeader("X-Forwarded-Host"); h != "" && p.Trusts(c.Request.RemoteAddr) {
		return h
	}
	return c.Request.Host
}

// Middleware resolves the request's Host and stores the Tenant on the context.
// A malformed or unknown host is handed to unknown, which must answer.
func (r *Resolver) Middleware(proxies Proxies, unknown gin.HandlerFunc) gin.HandlerFunc {
	return func(c *gin.Context) {
		host, err := NormalizeHost(proxies.RequestHost(c))
		t := Tenant{Kind: Unknown, Host: host}
		if err == nil {
			t = r.Resolve(host)
		}
		c.Set(contextKey, t)
		if t.Kind == Unknown {
			unknown(c)
			c.Abort()
			return
		}
		c.Next()
	}
}

// FromContext returns the request's Tenant (Unknown when none was resolved).
func FromContext(c *gin.Context) Tenant {
	if v, ok := c.Get(contextKey); ok {
		if t, ok := v.(Tenant); ok {
			return t
		}
	}
	return Tenant{}
}

// WithTenant stores t on the context; for handlers that act for a tenant chosen
// otherwise (a client's session on the platform host) and for tests.
func WithTenant(c *gin.Context, t Tenant) { c.Set(contextKey, t) }
