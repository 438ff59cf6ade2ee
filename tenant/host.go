package tenant

import (
	"errors"
	"strings"

	"golang.org/x/net/idna"
)

// ErrMalformedHost means a Host value is not a usable DNS name.
var ErrMalformedHost = errors.New("tenant: malformed host")

// maxHostLen is the longest DNS name (RFC 1035) this platform serves.
const maxHostLen = 253

// NormalizeHost turns a Host header (or a hostname typed by a user) into the key
// the resolver uses: port stripped, trailing dot removed, lowercase, IDN as
// punycode. IPv6 literals come back in brackets and never name a tenant.
// For a name that is already normal it does not allocate.
func NormalizeHost(host string) (string, error) {
	if host == "" {
		return "", ErrMalformedHost
	}
	if host[0] == '[' {
		end := strings.IndexByte(host, ']')
		if end < 0 || (end+1 < len(host) && host[end+1] != ':') {
			return "", ErrMalformedHost
		}
		lit := host[:end+1]
		for i := 1; i < end; i++ {
			c := host[i]
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == ':' || c == '.') {
				return "", ErrMalformedHost
			}
		}
		if end == 1 {
			return "", ErrMalformedHost
		}
		return strings.ToLower(lit), nil
	}
	if i := strings.LastIndexByte(host, ':'); i >= 0 {
		port := host[i+1:]
		if strings.IndexByte(host[:i], ':') >= 0 || !validPort(port) {
			return "", ErrMalformedHost
		}
		host = host[:i]
	}
	host = strings.TrimSuffix(host, ".")
	if host == "" || len(host) > maxHostLen {
		return "", ErrMalformedHost
	}
	ascii, lower := true, true
	for i := 0; i < len(host); i++ {
		c := host[i]
		if c >= 0x80 {
			ascii = false
			break
		}
		if c >= 'A' && c <= 'Z' {
			lower = false
		}
	}
	if !ascii {
		p, err := idna.Lookup.ToASCII(host)
		if err != nil {
			return "", ErrMalformedHost
		}
		host = p
	} else if !lower {
		host = strings.ToLower(host)
	}
	if !validName(host) {
		return "", ErrMalformedHost
	}
	return host, nil
}

func validPort(p string) bool {
	if p == "" || len(p) > 5 {
		return false
	}
	n := 0
	for i := 0; i < len(p); i++ {
		if p[i] < '0' || p[i] > '9' {
			return false
		}
		n = n*10 + int(p[i]-'0')
	}
	return n <= 65535
}

// validName checks a lowercase ASCII name: labels of 1 to 63 letters, digits and
// inner hyphens, at most 253 characters in all.
func validName(h string) bool {
	if len(h) == 0 || len(h) > maxHostLen {
		return false
	}
	start := 0
	for i := 0; i <= len(h); i++ {
		if i == len(h) || h[i] == '.' {
			label := h[start:i]
			if len(label) == 0 || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
				return false
			}
			start = i + 1
			continue
		}
		c := h[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// IsIP reports whether a normalized host is an IP address literal.
func IsIP(h string) bool {
	if strings.HasPrefix(h, "[") {
		return true
	}
	dots := 0
	for i := 0; i < len(h); i++ {
		switch c := h[i]; {
		case c == '.':
			dots++
		case c < '0' || c > '9':
			return false
		}
	}
	return dots == 3
}
