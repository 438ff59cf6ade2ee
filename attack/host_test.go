package attack_test

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"testing"

	"workrate/fixture"
	"workrate/migrations/testdb"
	"workrate/server"
	"workrate/server/servertest"
)

// TestHostAttacks replays sessions on other hosts, spoofs the Host in every
// way a client can, and tries every redirect parameter with foreign targets.
func TestHostAttacks(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			w := newWorld(t, db)
			f := w.F
			clientA1 := w.client(t, "A1")
			staff := w.staffB(t)
			op := w.operator(t)
			everything := append(w.allMarkers(), "MARK-A-rate", "MARK-A-key")

			h := &hostAttack{w: w, f: f, clientA1: clientA1, staff: staff, op: op, everything: everything}
			t.Run("session cookie replayed on another host", h.replayedCookies)
			t.Run("unknown and malformed hosts", h.badHosts)
			t.Run("X-Forwarded-Host from an untrusted peer is ignored", h.forwardedHost)
			t.Run("API key of A on B's host and the platform", h.foreignKey)
			t.Run("absolute-form request URI", h.absoluteURI)
			t.Run("redirect parameters stay on the host", h.redirects)
		})
	}
}

// hostAttack is the shared state of TestHostAttacks's steps.
type hostAttack struct {
	w          *world
	f          *fixture.Fixture
	clientA1   *servertest.Browser
	staff      *servertest.Browser
	op         *servertest.Browser
	everything []string
}

// replayedCookies: a session cookie replayed on another host opens nothing.
func (h *hostAttack) replayedCookies(t *testing.T) {
	w, f, clientA1, staff, op, everything := h.w, h.f, h.clientA1, h.staff, h.op, h.everything
	for _, tc := range []struct {
		who      string
		b        *servertest.Browser
		from, to string
		paths    []string
	}{
		{"client A1", clientA1, hostA, hostB, []string{"/", "/tickets", "/tickets/" + f.A1.TicketID, "/invoices/" + f.A1.SentInvoiceID}},
		{"client A1", clientA1, hostA, platformHost, []string{"/", "/tickets", "/tickets/" + f.A1.TicketID, "/messages"}},
		{"staff B", staff, hostB, hostA, []string{"/staff/workspaces", "/staff/workspaces/" + f.A1.ID, "/staff/settings"}},
		{"staff B", staff, hostB, platformHost, []string{"/staff/workspaces", "/staff/workspaces/" + f.B1.ID, "/staff/settings"}},
		{"operator", op, platformHost, hostA, []string{"/operator/agencies", "/operator/domains"}},
	} {
		thief := w.Browser()
		thief.SetCookie(tc.to, tc.b.Cookie(tc.from, "session"))
		for _, p := range tc.paths {
			r := thief.Get(tc.to, p)
			if r.Status == http.StatusOK && p != "/" { // "/" is a public front page to nobody signed in
				t.Errorf("%s's cookie from %s on %s%s = 200", tc.who, tc.from, tc.to, p)
			}
			leaks(t, tc.who+" cookie on "+tc.to+p, r, everything)
		}
	}
	// The owner's session still works where it was made.
	if r := clientA1.Get(hostA, "/tickets/"+f.A1.TicketID); r.Status != http.StatusOK {
		t.Errorf("A1's own session on its host = %d", r.Status)
	}
}

// badHosts: unknown and malformed hosts get nothing.
func (h *hostAttack) badHosts(t *testing.T) {
	w, clientA1, everything := h.w, h.clientA1, h.everything
	for _, host := range []string{"evil.example", "agency-a.localhost.evil.example", "evil.localhost", "agency-a.evil.example",
		"", "agency-a.localhost:1:2", "agency-a..localhost", "[::1]", "127.0.0.1", "agency-a.localhost\x00.evil", "xn--80ak6aa92e.localhost"} {
		for _, p := range []string{"/", "/login", "/staff/login", "/tickets", "/api/v1/workspaces", "/operator/login"} {
			b := w.Browser()
			b.SetCookie(host, clientA1.Cookie(hostA, "session"))
			r := b.JSON(http.MethodGet, host, p, w.TokenA, "")
			if r.Status != http.StatusNotFound {
				t.Errorf("host %q%s = %d, want 404", host, p, r.Status)
			}
			leaks(t, "host "+host+p, r, append(everything, "MARK-A-agency", "MARK-B-agency"))
		}
	}
	// The same host in another spelling is the same agency.
	for _, host := range []string{"AGENCY-A.localhost", "agency-a.localhost.", "agency-a.localhost:8080"} {
		if r := w.Browser().Get(host, "/login"); r.Status != http.StatusOK || !strings.Contains(r.Body, "MARK-A-agency") {
			t.Errorf("host %q = %d, want A's sign-in page", host, r.Status)
		}
	}
}

// forwardedHost: X-Forwarded-Host from an untrusted peer is ignored.
func (h *hostAttack) forwardedHost(t *testing.T) {
	w, f, clientA1 := h.w, h.f, h.clientA1
	b := w.Browser()
	b.Header.Set("X-Forwarded-Host", hostB)
	r := b.Get(hostA, "/login")
	if !strings.Contains(r.Body, "MARK-A-agency") || strings.Contains(r.Body, "MARK-B-agency") {
		t.Errorf("X-Forwarded-Host from an untrusted peer changed the tenant: %d", r.Status)
	}
	// A's session with a forged forwarded host still serves A only.
	b = w.Browser()
	b.SetCookie(hostA, clientA1.Cookie(hostA, "session"))
	b.Header.Set("X-Forwarded-Host", hostB)
	r = b.Get(hostA, "/tickets")
	leaks(t, "forwarded B on A", r, f.MustNotSee(f.A1))
	if r.Status != http.StatusOK {
		t.Errorf("A1 with a forged X-Forwarded-Host = %d", r.Status)
	}
}

// foreignKey: A's API key opens nothing on B's host, and only A's data on the platform host.
func (h *hostAttack) foreignKey(t *testing.T) {
	w, f, everything := h.w, h.f, h.everything
	for _, host := range []string{hostB} {
		r := w.Browser().JSON(http.MethodGet, host, "/api/v1/workspaces", w.TokenA, "")
		if r.Status != http.StatusUnauthorized {
			t.Errorf("A's key on %s = %d, want 401", host, r.Status)
		}
		leaks(t, "A's key on "+host, r, everything)
	}
	r := w.Browser().JSON(http.MethodGet, platformHost, "/api/v1/workspaces", w.TokenA, "")
	leaks(t, "A's key on the platform", r, w.agencyMarkers(f.B))
}

// absoluteURI: an absolute-form request URI does not change the tenant.
func (h *hostAttack) absoluteURI(t *testing.T) {
	w, f, clientA1 := h.w, h.f, h.clientA1
	srv := httptest.NewServer(w.App.Handler())
	defer srv.Close()
	raw := func(target, host, cookie string) (int, string) {
		conn, err := net.Dial("tcp", srv.Listener.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		req := "GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\n"
		if cookie != "" {
			req += "Cookie: session=" + cookie + "\r\n"
		}
		req += "Connection: close\r\n\r\n"
		if _, err := io.WriteString(conn, req); err != nil {
			t.Fatal(err)
		}
		res, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(body)
	}
	token := clientA1.Cookie(hostA, "session").Value
	// The request names B in its URI and A in its Host: one of the
	// two wins everywhere, and A's session opens nothing on B.
	status, body := raw("http://"+hostB+"/tickets/"+f.A1.TicketID, hostA, token)
	if status == http.StatusOK || strings.Contains(body, "MARK-A1") {
		t.Errorf("absolute-form B with A's session = %d: %.300s", status, body)
	}
	status, body = raw("http://"+hostB+"/login", hostA, "")
	if strings.Contains(body, "MARK-A-agency") {
		t.Errorf("absolute-form B's sign-in shows A: %d", status)
	}
	status, _ = raw("http://evil.example/login", hostA, "")
	if status != http.StatusNotFound {
		t.Errorf("absolute-form unknown host = %d, want 404", status)
	}
}

// redirects: redirect parameters stay on the host.
func (h *hostAttack) redirects(t *testing.T) {
	w, f := h.w, h.f
	evil := []string{"//evil.example/", "https://evil.example/", "/\\evil.example", "\\\\evil.example", "http:evil.example",
		"/\t/evil.example", "javascript:alert(1)", "//evil.example/%2e%2e", " //evil.example", "/%0d%0aSet-Cookie:x=1"}
	checkLoc := func(what string, r *servertest.Response) {
		t.Helper()
		loc := r.Location()
		if r.Status >= 300 && r.Status < 400 {
			if !strings.HasPrefix(loc, "/") || strings.HasPrefix(loc, "//") || strings.HasPrefix(loc, "/\\") || strings.ContainsAny(loc, "\r\n\t\\") {
				t.Errorf("%s redirects off the host: %q", what, loc)
			}
		}
		if u, err := url.Parse(loc); err == nil && u.Host != "" {
			t.Errorf("%s redirects to another host: %q", what, loc)
		}
	}
	for _, next := range evil {
		b := w.Browser()
		checkLoc("portal login next="+next, b.Post(hostA, "/login", servertest.Values("email", w.ClientEmail["A1"], "password", clientPassword, "next", next)))
		checkLoc("signed-in GET /login?next="+next, b.Get(hostA, "/login?next="+url.QueryEscape(next)))
		checkLoc("language next="+next, w.Browser().Post(hostA, "/language", servertest.Values("lang", "de", "next", next)))
		sb := w.Browser()
		checkLoc("staff login next="+next, sb.Post(hostB, "/staff/login", servertest.Values("email", f.StaffB.Email, "password", staffPassword, "next", next)))
		checkLoc("signed-in GET /staff/login?next="+next, sb.Get(hostB, "/staff/login?next="+url.QueryEscape(next)))
		checkLoc("staff choose next="+next, sb.Post(platformHost, "/staff/login/choose", servertest.Values("agency", f.B.ID, "next", next)))
		ob := w.Browser()
		checkLoc("operator login next="+next, ob.Post(platformHost, "/operator/login", servertest.Values("email", operatorEmail, "password", operatorPassword, "next", next)))
		checkLoc("signed-in GET /operator/login?next="+next, ob.Get(platformHost, "/operator/login?next="+url.QueryEscape(next)))
	}
}

// TestTrustedProxy honours X-Forwarded-Host (and X-Forwarded-For) only from
// a configured proxy.
func TestTrustedProxy(t *testing.T) {
	db := testdb.SQLite(t)
	w := newWorld(t, db, func(c *server.Config) {
		c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("192.0.2.0/24")} // servertest's peer
	})
	b := w.Browser()
	b.Header.Set("X-Forwarded-Host", hostB)
	r := b.Get("proxy.internal", "/login")
	if r.Status != http.StatusOK || !strings.Contains(r.Body, "MARK-B-agency") {
		t.Errorf("X-Forwarded-Host from a trusted proxy = %d, want B's sign-in page", r.Status)
	}
}

// TestOtherSurfaceKeepsSession: a link to the back office or the console,
// followed by a signed-in client (or sent by another site: SameSite=Lax
// cookies go with top-level GETs), does not end the client's session.
func TestOtherSurfaceKeepsSession(t *testing.T) {
	db := testdb.SQLite(t)
	w := newWorld(t, db)
	c := w.client(t, "A1")
	for _, p := range []string{"/staff/workspaces", "/staff/settings", "/operator/agencies"} {
		c.Get(hostA, p)
		if r := c.Get(hostA, "/tickets"); r.Status != http.StatusOK {
			t.Errorf("after GET %s the client's session is gone: %d", p, r.Status)
		}
	}
	// On the platform host, a staff session survives a link to the console.
	s := w.Browser()
	if r := s.Post(platformHost, "/staff/login", servertest.Values("email", w.F.StaffB.Email, "password", w.StaffPass)); r.Status != http.StatusSeeOther {
		t.Fatalf("staff sign-in on the platform = %d", r.Status)
	}
	s.Get(platformHost, "/operator/agencies")
	if r := s.Get(platformHost, "/staff/workspaces"); r.Status != http.StatusOK {
		t.Errorf("after a link to the console the staff session is gone: %d", r.Status)
	}
}
