package agency_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"workrate/auth"
	"workrate/migrations/testdb"
	"workrate/server/servertest"
)

func TestStaffSignIn(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			w := newWorld(t, db)
			ss := &staffSignIn{w: w, owner: w.staff["A-owner"]}
			for _, c := range ss.cases() {
				t.Run(c.name, func(t *testing.T) { ss.tryCase(t, c) })
			}
			ss.accountPage(t)
			ss.replayOnOtherHosts(t)
			ss.newTokenAtSignIn(t)
			ss.logout(t)
			ss.signedOutRedirect(t)
			ss.openRedirect(t)
		})
	}
}

// staffSignIn holds the world of TestStaffSignIn: agency A's owner and the
// browser they signed in with. Its steps run in order.
type staffSignIn struct {
	w     *world
	owner *auth.Staff
	b     *servertest.Browser // the owner's browser, from accountPage on
}

// signInCase is one sign-in form submission and the status it must get.
type signInCase struct {
	name, host, email, password string
	status                      int
}

// cases are the failures, which all look alike, and a success with the
// email in another case.
func (ss *staffSignIn) cases() []signInCase {
	w, owner := ss.w, ss.owner
	return []signInCase{
		{"wrong password", w.hostA, owner.Email, "nope nope nope", http.StatusUnauthorized},
		{"unknown email", w.hostA, "ghost@acme.example", pw, http.StatusUnauthorized},
		{"malformed email", w.hostA, "not an email", pw, http.StatusUnauthorized},
		{"account of another agency", w.hostB, owner.Email, pw, http.StatusUnauthorized},
		{"right password, other case email", w.hostA, strings.ToUpper(owner.Email), pw, http.StatusSeeOther},
	}
}

// tryCase submits the form of c: a failure says the same thing as every
// other; a success goes to next with a session cookie.
func (ss *staffSignIn) tryCase(t *testing.T, c signInCase) {
	b := ss.w.env.Browser()
	r := b.Post(c.host, "/staff/login", servertest.Values("email", c.email, "password", c.password, "next", "/staff/account"))
	if r.Status != c.status {
		t.Fatalf("status %d, want %d: %.300s", r.Status, c.status, r.Body)
	}
	if c.status != http.StatusSeeOther {
		// Every failure says the same thing.
		msg := "The email address or password is not correct."
		if !strings.Contains(r.Body, msg) {
			t.Fatalf("failure page lacks %q", msg)
		}
		return
	}
	if r.Location() != "/staff/account" {
		t.Fatalf("redirect to %q", r.Location())
	}
	if b.Cookie(c.host, "session") == nil {
		t.Fatal("no session cookie")
	}
}

// accountPage: the signed-in owner sees their account page, never cached.
func (ss *staffSignIn) accountPage(t *testing.T) {
	w := ss.w
	ss.b = w.signIn("A-owner", w.hostA)
	r := ss.b.Get(w.hostA, "/staff/account")
	if r.Status != http.StatusOK || !strings.Contains(r.Body, ss.owner.Email) {
		t.Fatalf("account page = %d", r.Status)
	}
	if r.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("authenticated page Cache-Control = %q", r.Header.Get("Cache-Control"))
	}
}

// replayOnOtherHosts: the cookie replayed on another host opens nothing.
func (ss *staffSignIn) replayOnOtherHosts(t *testing.T) {
	w, b := ss.w, ss.b
	other := w.env.Browser()
	other.SetCookie(w.hostB, b.Cookie(w.hostA, "session"))
	other.SetCookie("localhost", b.Cookie(w.hostA, "session"))
	for _, h := range []string{w.hostB, "localhost"} {
		if r := other.Get(h, "/staff/account"); r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location(), "/staff/login") {
			t.Errorf("session replayed on %s = %d %q", h, r.Status, r.Location())
		}
	}
}

// newTokenAtSignIn: a new sign-in gets a new token.
func (ss *staffSignIn) newTokenAtSignIn(t *testing.T) {
	w, b := ss.w, ss.b
	before := b.Cookie(w.hostA, "session").Value
	b.Post(w.hostA, "/staff/login", servertest.Values("email", ss.owner.Email, "password", pw))
	if after := b.Cookie(w.hostA, "session").Value; after == before {
		t.Error("sign-in kept the old session token")
	}
}

// logout ends the session for good.
func (ss *staffSignIn) logout(t *testing.T) {
	w, b := ss.w, ss.b
	token := b.Cookie(w.hostA, "session")
	if r := b.Post(w.hostA, "/staff/logout", nil); r.Status != http.StatusSeeOther || b.Cookie(w.hostA, "session") != nil {
		t.Fatalf("logout = %d, cookie %v", r.Status, b.Cookie(w.hostA, "session"))
	}
	replay := w.env.Browser()
	replay.SetCookie(w.hostA, token)
	if r := replay.Get(w.hostA, "/staff/account"); r.Status != http.StatusSeeOther {
		t.Errorf("logged-out token still works: %d", r.Status)
	}
}

// signedOutRedirect: signed-out pages redirect to the sign-in with the way
// back.
func (ss *staffSignIn) signedOutRedirect(t *testing.T) {
	w := ss.w
	if r := w.env.Browser().Get(w.hostA, "/staff/settings"); r.Status != http.StatusSeeOther || r.Location() != "/staff/login?next=%2Fstaff%2Fsettings" {
		t.Errorf("signed-out settings = %d %q", r.Status, r.Location())
	}
}

// openRedirect: an open redirect is refused.
func (ss *staffSignIn) openRedirect(t *testing.T) {
	w := ss.w
	r := w.env.Browser().Post(w.hostA, "/staff/login", servertest.Values("email", ss.owner.Email, "password", pw, "next", "//evil.example/"))
	if r.Location() != "/staff/workspaces" {
		t.Errorf("next=//evil.example/ led to %q", r.Location())
	}
}

func TestStaffSignInThrottle(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			w := newWorld(t, db)
			email := w.staff["A-member"].Email
			b := w.env.Browser()
			for i := range auth.MaxPairFailures {
				if r := b.Post(w.hostA, "/staff/login", servertest.Values("email", email, "password", "wrong-"+string(rune('a'+i)))); r.Status != http.StatusUnauthorized {
					t.Fatalf("failure %d = %d", i, r.Status)
				}
			}
			r := b.Post(w.hostA, "/staff/login", servertest.Values("email", email, "password", pw))
			if r.Status != http.StatusTooManyRequests || r.Header.Get("Retry-After") == "" {
				t.Fatalf("after %d failures the right password = %d (Retry-After %q)", auth.MaxPairFailures, r.Status, r.Header.Get("Retry-After"))
			}
			if !strings.Contains(r.Body, "Too many failed attempts") {
				t.Errorf("throttled page lacks its message: %.300s", r.Body)
			}
			// Another account from the same address still signs in.
			if r := w.env.Browser().Post(w.hostA, "/staff/login", servertest.Values("email", w.staff["A-owner"].Email, "password", pw)); r.Status != http.StatusSeeOther {
				t.Errorf("other account = %d", r.Status)
			}
		})
	}
}

func TestStaffSignInOnPlatformHost(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			w := newWorld(t, db)
			// shared@ has an account in both agencies; "solo" only in B.
			w.addStaff("A-shared", w.A.ID, "shared@example.com", auth.RoleMember, pw)
			w.addStaff("B-shared", w.B.ID, "shared@example.com", auth.RoleMember, pw)
			w.addStaff("A-split", w.A.ID, "split@example.com", auth.RoleMember, "password of acme 1")
			w.addStaff("B-split", w.B.ID, "split@example.com", auth.RoleMember, "password of bolt 1")

			// One account matches: signed in to it, acting for its agency with its brand.
			b := w.env.Browser()
			r := b.Post("localhost", "/staff/login", servertest.Values("email", "split@example.com", "password", "password of bolt 1"))
			if r.Status != http.StatusSeeOther || r.Location() != "/staff/workspaces" {
				t.Fatalf("single match = %d %q: %.200s", r.Status, r.Location(), r.Body)
			}
			if r := b.Get("localhost", "/staff/account"); r.Status != http.StatusOK || !strings.Contains(r.Body, "Bolt Works") || strings.Contains(r.Body, "Acme Studio") {
				t.Fatalf("platform session acts for the wrong agency: %d", r.Status)
			}

			// A wrong password reveals nothing about the agencies.
			r = w.env.Browser().Post("localhost", "/staff/login", servertest.Values("email", "shared@example.com", "password", "wrong password"))
			if r.Status != http.StatusUnauthorized || strings.Contains(r.Body, "Acme Studio") || strings.Contains(r.Body, "Bolt Works") {
				t.Fatalf("wrong password = %d and names an agency", r.Status)
			}
			if r := w.env.Browser().Get("localhost", "/staff/login/choose"); r.Status != http.StatusSeeOther {
				t.Fatalf("choose without a verified password = %d", r.Status)
			}

			// Several match: the user picks; only matched agencies are offered.
			b = w.env.Browser()
			r = b.Post("localhost", "/staff/login", servertest.Values("email", "shared@example.com", "password", pw))
			if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location(), "/staff/login/choose") {
				t.Fatalf("several matches = %d %q", r.Status, r.Location())
			}
			if b.Cookie("localhost", "session") != nil {
				t.Fatal("signed in before choosing")
			}
			r = b.Get("localhost", r.Location())
			if r.Status != http.StatusOK || !strings.Contains(r.Body, "Acme Studio") || !strings.Contains(r.Body, "Bolt Works") {
				t.Fatalf("choose page = %d: %.300s", r.Status, r.Body)
			}
			// An agency not in the list is refused.
			if r := b.Post("localhost", "/staff/login/choose", servertest.Values("agency", "0190c5a2-0000-7000-8000-000000000000")); r.Status != http.StatusNotFound {
				t.Fatalf("choosing an unlisted agency = %d", r.Status)
			}
			r = b.Post("localhost", "/staff/login/choose", servertest.Values("agency", w.A.ID, "next", "/staff/account"))
			if r.Status != http.StatusSeeOther || r.Location() != "/staff/account" {
				t.Fatalf("choose = %d %q", r.Status, r.Location())
			}
			if r := b.Get("localhost", "/staff/account"); r.Status != http.StatusOK || !strings.Contains(r.Body, "Acme Studio") {
				t.Fatalf("after choosing Acme: %d", r.Status)
			}
			// The choice is spent.
			if r := b.Get("localhost", "/staff/login/choose"); r.Status != http.StatusSeeOther {
				t.Fatalf("choice reused: %d", r.Status)
			}
		})
	}
}

func TestStaffSessionIsRecheckedEveryRequest(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			w := newWorld(t, db)
			ctx := context.Background()
			changes := []struct {
				name   string
				key    string
				change func(id string)
			}{
				{"disabled", "A-member", func(id string) {
					if _, err := db.DB.NewUpdate().Table("staff_users").Set("disabled = ?", true).Where("id = ?", id).Exec(ctx); err != nil {
						t.Fatal(err)
					}
				}},
				{"password changed elsewhere", "A-admin", func(id string) {
					if _, err := w.auth.SetStaffPassword(ctx, w.A.ID, id, "x"); err != nil {
						t.Fatal(err)
					}
				}},
				{"removed", "B-member", func(id string) {
					if err := w.auth.DeleteStaff(ctx, w.B.ID, id); err != nil {
						t.Fatal(err)
					}
				}},
			}
			for _, c := range changes {
				t.Run(c.name, func(t *testing.T) {
					host := w.hostOf(c.key)
					b := w.signIn(c.key, host)
					if r := b.Get(host, "/staff/account"); r.Status != http.StatusOK {
						t.Fatalf("before: %d", r.Status)
					}
					c.change(w.staff[c.key].ID)
					if r := b.Get(host, "/staff/account"); r.Status != http.StatusSeeOther {
						t.Fatalf("after %s: %d", c.name, r.Status)
					}
				})
			}
		})
	}
}
