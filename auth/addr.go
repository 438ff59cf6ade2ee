package auth

import (
	"net/netip"
	"strings"
)

// Addr is the address group a client's attempts are counted under: the IPv4
// address itself, or the /64 of an IPv6 address (one subscriber's network
// holds a whole /64, so counting single IPv6 addresses counts nothing).
func Addr(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return ip
	}
	a = a.Unmap()
	if a.Is4() {
		return a.String()
	}
	p, err := a.WithZone("").Prefix(64)
	if err != nil {
		return ip
	}
	return p.String()
}

// ShownEmail is an email as typed, made comparable (trimmed, lower case, at
// most 254 bytes): the key the throttle counts an email under, valid or not.
func ShownEmail(email string) string {
	email = strings.ToLower(strings.TrimSpace(email))
	if len(email) > 254 {
		email = email[:254]
	}
	return email
}
