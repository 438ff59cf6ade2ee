package server

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"

	"workrate/tenant"
)

// A load balancer that passes TLS through (TCP mode) cannot add
// X-Forwarded-For; it announces the client's address with the PROXY protocol
// (v1 text or v2 binary) at the start of the connection instead. Without it,
// every client would share the balancer's address, and throttling by address
// would lock them all out together.

// proxyHeaderTimeout bounds how long a trusted peer may take to send the header.
const proxyHeaderTimeout = 5 * time.Second

// v2Signature starts every PROXY protocol v2 header.
var v2Signature = []byte("\r\n\r\n\x00\r\nQUIT\n")

// proxyListener reads the PROXY header of each connection from a trusted proxy
// and reports the client's address as the connection's RemoteAddr. Connections
// from other peers are served as they are (their address is their own).
type proxyListener struct {
	net.Listener
	trusted tenant.Proxies
}

// Accept returns the next connection; the header is read lazily, in the
// connection's own goroutine, so a slow peer cannot stall the accept loop.
func (l *proxyListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	if !l.trusted.Trusts(c.RemoteAddr().String()) {
		return c, nil
	}
	return &proxyConn{Conn: c, r: bufio.NewReaderSize(c, 256)}, nil
}

// proxyConn is a connection whose first bytes are a PROXY header.
type proxyConn struct {
	net.Conn
	r      *bufio.Reader
	once   sync.Once
	remote net.Addr
	err    error
}

func (c *proxyConn) init() {
	c.once.Do(func() {
		_ = c.Conn.SetReadDeadline(time.Now().Add(proxyHeaderTimeout))
		c.remote, c.err = readProxyHeader(c.r)
		_ = c.Conn.SetReadDeadline(time.Time{})
		if c.err != nil {
			c.Conn.Close()
		}
	})
}

// Read reads after the header; a missing or malformed header closes the connection.
func (c *proxyConn) Read(b []byte) (int, error) {
	c.init()
	if c.err != nil {
		return 0, c.err
	}
	return c.r.Read(b)
}

// RemoteAddr is the client's address from the header (the proxy's for a LOCAL header).
func (c *proxyConn) RemoteAddr() net.Addr {
	c.init()
	if c.remote != nil {
		return c.remote
	}
	return c.Conn.RemoteAddr()
}

// readProxyHeader reads a v1 or v2 header; a nil address means "use the peer's"
// (v1 UNKNOWN, v2 LOCAL or a family it does not carry).
func readProxyHeader(r *bufio.Reader) (net.Addr, error) {
	first, err := r.Peek(12)
	if err != nil {
		return nil, fmt.Errorf("proxy protocol: reading header: %w", err)
	}
	if bytes.Equal(first, v2Signature) {
		return readV2(r)
	}
	if bytes.HasPrefix(first, []byte("PROXY ")) {
		return readV1(r)
	}
	return nil, errors.New("proxy protocol: a trusted proxy sent no PROXY header")
}

func readV1(r *bufio.Reader) (net.Addr, error) {
	var line []byte
	for len(line) < 107 { // the longest v1 header
		b, err := r.ReadByte()
		if err != nil {
			return nil, fmt.Errorf("proxy protocol v1: %w", err)
		}
		line = append(line, b)
		if bytes.HasSuffix(line, []byte("\r\n")) {
			break
		}
	}
	if !bytes.HasSuffix(line, []byte("\r\n")) {
		return nil, errors.New("proxy protocol v1: header too long")
	}
	f := strings.Fields(string(line[:len(line)-2]))
	if len(f) >= 2 && f[1] == "UNKNOWN" {
		return nil, nil
	}
	if len(f) != 6 || (f[1] != "TCP4" && f[1] != "TCP6") {
		return nil, fmt.Errorf("proxy protocol v1: malformed header %q", line)
	}
	ip := net.ParseIP(f[2])
	port, err := strconv.Atoi(f[4])
	if ip == nil || err != nil || port < 0 || port > 65535 {
		return nil, fmt.Errorf("proxy protocol v1: malformed address in %q", line)
	}
	return &net.TCPAddr{IP: ip, Port: port}, nil
}

func readV2(r *bufio.Reader) (net.Addr, error) {
	var h [16]byte
	if _, err := io.ReadFull(r, h[:]); err != nil {
		return nil, fmt.Errorf("proxy protocol v2: %w", err)
	}
	if h[12]>>4 != 2 {
		return nil, errors.New("proxy protocol v2: unknown version")
	}
	n := int(binary.BigEndian.Uint16(h[14:16]))
	if n > 1024 {
		return nil, errors.New("proxy protocol v2: header too long")
	}
	body := make([]byte, n)
	if _, err := io.ReadFull(r, body); err != nil {
		return nil, fmt.Errorf("proxy protocol v2: %w", err)
	}
	if h[12]&0x0f == 0 { // LOCAL: the proxy's own connection (health checks)
		return nil, nil
	}
	switch h[13] >> 4 {
	case 1: // AF_INET
		if n < 12 {
			return nil, errors.New("proxy protocol v2: short IPv4 address")
		}
		return &net.TCPAddr{IP: net.IP(body[0:4]), Port: int(binary.BigEndian.Uint16(body[8:10]))}, nil
	case 2: // AF_INET6
		if n < 36 {
			return nil, errors.New("proxy protocol v2: short IPv6 address")
		}
		return &net.TCPAddr{IP: net.IP(body[0:16]), Port: int(binary.BigEndian.Uint16(body[32:34]))}, nil
	}
	return nil, nil
}
