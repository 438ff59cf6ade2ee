package server

import (
	"bufio"
	"encoding/binary"
	"io"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"testing"
	"time"
)

// v2Header builds a PROXY v2 header for src:port → dst:443.
func v2Header(src string, port uint16, local bool) []byte {
	ip := net.ParseIP(src)
	h := append([]byte{}, v2Signature...)
	cmd := byte(0x21) // version 2, PROXY
	if local {
		cmd = 0x20
	}
	if v4 := ip.To4(); v4 != nil {
		h = append(h, cmd, 0x11, 0, 12)
		h = append(h, v4...)
		h = append(h, 10, 0, 0, 1)
	} else {
		h = append(h, cmd, 0x21, 0, 36)
		h = append(h, ip.To16()...)
		h = append(h, net.ParseIP("fd00::1").To16()...)
	}
	h = binary.BigEndian.AppendUint16(h, port)
	return binary.BigEndian.AppendUint16(h, 443)
}

func TestProxyProtocolGivesTheClientAddress(t *testing.T) {
	serve := func(trusted string) string {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		var p []netip.Prefix
		if trusted != "" {
			p = []netip.Prefix{netip.MustParsePrefix(trusted)}
		}
		srv := &http.Server{ReadHeaderTimeout: 5 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.WriteString(w, r.RemoteAddr)
		})}
		go func() { _ = srv.Serve(&proxyListener{Listener: ln, trusted: p}) }()
		t.Cleanup(func() { srv.Close() })
		return ln.Addr().String()
	}
	send := func(addr string, header []byte) (string, error) {
		c, err := net.DialTimeout("tcp", addr, 2*time.Second)
		if err != nil {
			return "", err
		}
		defer c.Close()
		_ = c.SetDeadline(time.Now().Add(5 * time.Second))
		if _, err := c.Write(append(header, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"...)); err != nil {
			return "", err
		}
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			return "", err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		return string(b), err
	}
	trusted := serve("127.0.0.0/8")
	untrusted := serve("")
	tests := []struct {
		name   string
		addr   string
		header []byte
		want   string // prefix of the RemoteAddr the handler saw; "" means the connection must fail
	}{
		{"v1 IPv4", trusted, []byte("PROXY TCP4 203.0.113.7 10.0.0.1 51234 443\r\n"), "203.0.113.7:51234"},
		{"v1 IPv6", trusted, []byte("PROXY TCP6 2001:db8::7 fd00::1 51234 443\r\n"), "[2001:db8::7]:51234"},
		{"v1 unknown", trusted, []byte("PROXY UNKNOWN\r\n"), "127.0.0.1:"},
		{"v2 IPv4", trusted, v2Header("198.51.100.9", 40000, false), "198.51.100.9:40000"},
		{"v2 IPv6", trusted, v2Header("2001:db8::9", 40001, false), "[2001:db8::9]:40001"},
		{"v2 local", trusted, v2Header("198.51.100.9", 40000, true), "127.0.0.1:"},
		{"trusted peer without header", trusted, nil, ""},
		{"malformed v1", trusted, []byte("PROXY TCP4 nonsense\r\n"), ""},
		{"untrusted peer: no header needed", untrusted, nil, "127.0.0.1:"},
		{"untrusted peer cannot claim an address", untrusted, []byte("PROXY TCP4 203.0.113.7 10.0.0.1 51234 443\r\n"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := send(tt.addr, tt.header)
			if tt.want == "" {
				if err == nil && strings.HasPrefix(got, "203.0.113.7") {
					t.Fatalf("forged address accepted: %q", got)
				}
				if err == nil && tt.addr == trusted {
					t.Fatalf("got %q, want the connection refused", got)
				}
				return
			}
			if err != nil || !strings.HasPrefix(got, tt.want) {
				t.Fatalf("RemoteAddr = %q, %v; want %s…", got, err, tt.want)
			}
		})
	}
}
