package server_test

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"workrate/access"
	"workrate/branding"
	"workrate/branding/brandingtest"
	"workrate/fixture"
	"workrate/migrations/testdb"
	"workrate/server/servertest"
	"workrate/store"
	"workrate/tenant"
)

const (
	hubName  = "Acme Client Hub"
	platform = "workrate" // the platform's name, looked for in any case
)

// whiteLabelled is agency A of the fixture with a platform name, a colour and
// a logo, and a portal login for workspace A1 with every tool.
type whiteLabelled struct {
	env      *servertest.Env
	f        *fixture.Fixture
	host     string
	logoURL  string
	email    string
	password string
}

func newWhiteLabelled(t *testing.T, db testdb.DB) *whiteLabelled {
	t.Helper()
	ctx := context.Background()
	f := fixture.New(t, db.DB)
	brands := branding.NewStore(db.DB)
	if _, err := brands.SetText(ctx, f.A.ID, hubName, "#0f766e"); err != nil {
		t.Fatal(err)
	}
	logo, err := branding.ProcessLogo(brandingtest.PNG(160, 48))
	if err != nil {
		t.Fatal(err)
	}
	fav, err := branding.Favicon(logo)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := brands.SetLogo(ctx, f.A.ID, logo, fav); err != nil {
		t.Fatal(err)
	}
	env := servertest.New(t, db)
	env.Reload()
	w := &whiteLabelled{env: env, f: f, host: f.A.Slug + ".localhost", logoURL: "/brand/logo/" + logo.Hash + ".png",
		email: "client-a1@client.example", password: "temporary-pass-31"}
	email, tools := w.email, []string{"dashboard", "tickets", "messages", "tasks", "invoices"}
	res, err := env.App.Access().Save(ctx, *f.A, f.A1.ID, access.Actor{Kind: access.ActorStaff, ID: f.StaffA.ID, Name: "Staff A"},
		access.Input{Enabled: true, LoginEmail: &email, TemporaryPassword: w.password, Tools: &tools})
	if err != nil {
		t.Fatal(err)
	}
	// The onboarding message names the agency's portal, never the platform.
	if msg := res.Onboarding; !strings.Contains(msg, f.A.Name+" has set up your client portal, "+hubName) ||
		!strings.Contains(msg, "http://"+w.host+"/login") || strings.Contains(strings.ToLower(msg), platform) {
		t.Fatalf("onboarding message:\n%s", msg)
	}
	return w
}

// noPlatform fails when the platform's name is anywhere in r: body, header
// names and values, cookie names.
func noPlatform(t *testing.T, what string, r *servertest.Response) {
	t.Helper()
	if i := strings.Index(strings.ToLower(r.Body), platform); i >= 0 {
		t.Errorf("%s: body names the platform: …%s…", what, r.Body[max(0, i-80):min(len(r.Body), i+40)])
	}
	for name, values := range r.Header {
		for _, v := range append(values, name) {
			if strings.Contains(strings.ToLower(v), platform) {
				t.Errorf("%s: header %s: %s names the platform", what, name, v)
			}
		}
	}
	for _, h := range []string{"Server", "X-Powered-By"} {
		if v := r.Header.Get(h); v != "" {
			t.Errorf("%s: %s header %q", what, h, v)
		}
	}
}

// branded fails unless an HTML page r shows the agency's name and logo.
func (w *whiteLabelled) branded(t *testing.T, what string, r *servertest.Response) {
	t.Helper()
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") {
		return
	}
	if !strings.Contains(r.Body, "<title>") || !regexp.MustCompile(`<title>[^<]*`+hubName+`</title>`).MatchString(r.Body) {
		t.Errorf("%s: title does not name %s", what, hubName)
	}
	if !strings.Contains(r.Body, `src="`+w.logoURL+`" alt="`+hubName+`"`) {
		t.Errorf("%s: no logo with the agency's name", what)
	}
	if !strings.Contains(r.Body, `rel="icon" type="image/png" href="/brand/favicon/`) {
		t.Errorf("%s: not the agency's favicon", what)
	}
}

var linkRE = regexp.MustCompile(`(?:href|src)="(/[^"/][^"]*|/)"`)

// crawl opens every page reachable by links and images from start on host
// and checks each answer; it returns the paths it opened.
func (w *whiteLabelled) crawl(t *testing.T, b *servertest.Browser, host string, start ...string) map[string]int {
	t.Helper()
	seen := map[string]int{}
	queue := append([]string{}, start...)
	for len(queue) > 0 && len(seen) < 200 {
		p := queue[0]
		queue = queue[1:]
		if _, ok := seen[p]; ok {
			continue
		}
		r := b.Get(host, p)
		seen[p] = r.Status
		if r.Status >= 500 {
			t.Errorf("GET %s %s = %d", host, p, r.Status)
		}
		noPlatform(t, host+p, r)
		if r.Status == http.StatusOK {
			w.branded(t, host+p, r)
		}
		if !strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") {
			continue
		}
		for _, m := range linkRE.FindAllStringSubmatch(r.Body, -1) {
			next := strings.ReplaceAll(m[1], "&amp;", "&")
			if _, ok := seen[next]; !ok {
				queue = append(queue, next)
			}
		}
	}
	return seen
}

// errorPages checks the 404, 429 and a forced 500 of host for browser b,
// signed in as the client.
func (w *whiteLabelled) errorPages(t *testing.T, b *servertest.Browser, host string) {
	t.Helper()
	ctx := context.Background()
	check := func(what string, r *servertest.Response, status int) {
		t.Helper()
		if r.Status != status {
			t.Fatalf("%s = %d, want %d", what, r.Status, status)
		}
		noPlatform(t, what, r)
		w.branded(t, what, r)
	}
	check("404", b.Get(host, "/no-such-page"), http.StatusNotFound)
	check("404 of an id", b.Get(host, "/tickets/"+store.NewID()), http.StatusNotFound)
	check("404 of another workspace's ticket", b.Get(host, "/tickets/"+w.f.A2.TicketID), http.StatusNotFound)

	// A forced 500: the tickets table is gone for a moment.
	if _, err := w.env.DB.ExecContext(ctx, "ALTER TABLE tickets RENAME TO tickets_away"); err != nil {
		t.Fatal(err)
	}
	r := b.Get(host, "/tickets")
	if _, err := w.env.DB.ExecContext(ctx, "ALTER TABLE tickets_away RENAME TO tickets"); err != nil {
		t.Fatal(err)
	}
	check("500", r, http.StatusInternalServerError)
	if !strings.Contains(r.Body, "Something went wrong") {
		t.Error("500 is not the error page")
	}
}

func TestWhiteLabelEverywhereOnTheAgencyHost(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			w := newWhiteLabelled(t, db)
			b := w.env.Browser()
			host := w.host

			// Before signing in: the sign-in page, its refusal, the throttled page.
			seen := w.crawl(t, b, host, "/", "/login", "/favicon.ico", "/staff/login")
			if seen["/login"] != 200 {
				t.Fatalf("login = %d", seen["/login"])
			}
			login := b.Get(host, "/login").Body
			if !strings.Contains(login, "please contact "+w.f.A.Name) {
				t.Error("the sign-in page does not say to contact the agency")
			}
			r := b.Post(host, "/login", servertest.Values("email", w.email, "password", "wrong-password-1"))
			if r.Status != http.StatusUnauthorized {
				t.Fatalf("wrong password = %d", r.Status)
			}
			noPlatform(t, "refused sign-in", r)
			w.branded(t, "refused sign-in", r)

			w.firstSignIn(t, b)

			// Every page reachable from the dashboard and the navigation.
			seen = w.crawl(t, b, host, "/")
			for _, p := range []string{"/", "/tickets", "/tickets/" + w.f.A1.TicketID, "/messages", "/tasks", "/invoices",
				"/invoices/" + w.f.A1.SentInvoiceID, "/password", w.logoURL} {
				if seen[p] != 200 {
					t.Errorf("the crawl did not open %s (%d)", p, seen[p])
				}
			}
			favicons := 0
			for p, status := range seen {
				if strings.HasPrefix(p, "/brand/favicon/") && status == 200 {
					favicons++
				}
			}
			if favicons != 1 || len(seen) < 12 {
				t.Errorf("crawled %d paths, %d favicons: %v", len(seen), favicons, seen)
			}
			w.errorPages(t, b, host)
			b.Post(host, "/language", servertest.Values("lang", "de", "next", "/"))
			r = b.Get(host, "/")
			if !strings.Contains(r.Body, `lang="de"`) {
				t.Error("the language switch did not apply")
			}
			noPlatform(t, "dashboard in German", r)
			w.branded(t, "dashboard in German", r)

			// Throttled sign-in: the 429 page.
			other := w.env.Browser()
			for range 6 {
				r = other.Post(host, "/login", servertest.Values("email", w.email, "password", "wrong-password-2"))
			}
			if r.Status != http.StatusTooManyRequests || r.Header.Get("Retry-After") == "" {
				t.Fatalf("throttled sign-in = %d", r.Status)
			}
			noPlatform(t, "429", r)
			w.branded(t, "429", r)
		})
	}
}

// firstSignIn signs the client in with the temporary password: the answer,
// the new-password page and its refusal carry the agency's brand only.
func (w *whiteLabelled) firstSignIn(t *testing.T, b *servertest.Browser) {
	t.Helper()
	host := w.host
	r := b.Post(host, "/login", servertest.Values("email", w.email, "password", w.password))
	if r.Status != http.StatusSeeOther || r.Location() != "/password" {
		t.Fatalf("sign-in = %d %s", r.Status, r.Location())
	}
	noPlatform(t, "sign-in answer", r)
	if c := b.Cookie(host, "session"); c == nil {
		t.Fatal("no session cookie")
	}
	r = b.Get(host, "/password")
	if r.Status != 200 || !strings.Contains(r.Body, `name="new_password"`) {
		t.Fatalf("new-password page = %d", r.Status)
	}
	noPlatform(t, "new-password page", r)
	w.branded(t, "new-password page", r)
	r = b.Post(host, "/password", servertest.Values("new_password", "own-password-4242", "confirm_password", "different-4242"))
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("mismatched new password = %d", r.Status)
	}
	noPlatform(t, "refused new password", r)
	w.branded(t, "refused new password", r)
	if r := b.Post(host, "/password", servertest.Values("new_password", "own-password-4242", "confirm_password", "own-password-4242")); r.Status != http.StatusSeeOther {
		t.Fatalf("new password = %d", r.Status)
	}
}

func TestWhiteLabelForASignedInClientOnThePlatformHost(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			w := newWhiteLabelled(t, db)
			b := w.env.Browser()
			const host = "localhost"
			// Before signing in the platform host is the platform's.
			if r := b.Get(host, "/login"); !strings.Contains(r.Body, "WorkRate") || strings.Contains(r.Body, hubName) {
				t.Fatal("the platform's sign-in page should name the platform, not an agency")
			}
			r := b.Post(host, "/login", servertest.Values("email", w.email, "password", w.password))
			if r.Status != http.StatusSeeOther || r.Location() != "/password" {
				t.Fatalf("sign-in = %d %s", r.Status, r.Location())
			}
			r = b.Get(host, "/password")
			noPlatform(t, "new-password page", r)
			w.branded(t, "new-password page", r)
			if r := b.Post(host, "/password", servertest.Values("new_password", "own-password-4242", "confirm_password", "own-password-4242")); r.Status != http.StatusSeeOther {
				t.Fatalf("new password = %d", r.Status)
			}
			seen := w.crawl(t, b, host, "/")
			for _, p := range []string{"/", "/tickets", "/tickets/" + w.f.A1.TicketID, "/messages", "/tasks", "/invoices", w.logoURL} {
				if seen[p] != 200 {
					t.Errorf("the crawl did not open %s (%d)", p, seen[p])
				}
			}
			w.errorPages(t, b, host)

			// Signed out, the platform host is the platform's again, and the
			// agency's logo is not served there.
			if r := b.Post(host, "/logout", nil); r.Status != http.StatusSeeOther {
				t.Fatalf("logout = %d", r.Status)
			}
			if r := b.Get(host, "/no-such-page"); !strings.Contains(r.Body, "WorkRate") || strings.Contains(r.Body, hubName) {
				t.Error("a signed-out 404 on the platform host should be the platform's")
			}
			if r := b.Get(host, w.logoURL); r.Status != http.StatusNotFound {
				t.Errorf("logo on the platform host without a session = %d", r.Status)
			}
		})
	}
}

func TestNoWhiteLabelShowsThePlatform(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			ctx := context.Background()
			a, err := tenant.NewStore(db.DB).CreateAgency(ctx, "Plain Agency", "plain")
			if err != nil {
				t.Fatal(err)
			}
			named, err := tenant.NewStore(db.DB).CreateAgency(ctx, "Named Agency", "named")
			if err != nil {
				t.Fatal(err)
			}
			if _, err := branding.NewStore(db.DB).SetText(ctx, named.ID, "Named Portal", "#fde68a"); err != nil {
				t.Fatal(err)
			}
			env := servertest.New(t, db)
			b := env.Browser()
			r := b.Get(a.Slug+".localhost", "/login")
			if !strings.Contains(r.Body, "<title>Sign in · WorkRate</title>") || !strings.Contains(r.Body, `<link rel="icon" href="/static/favicon.`) {
				t.Errorf("an agency without white label shows the platform's branding:\n%s", r.Body)
			}
			// A white label without a logo: a favicon of its colour, not the platform's mark.
			r = b.Get(named.Slug+".localhost", "/login")
			noPlatform(t, "named login", r)
			if !strings.Contains(r.Body, `href="/brand/icon/fde68a.svg"`) {
				t.Fatal("white label without a logo does not use its colour favicon")
			}
			icon := b.Get(named.Slug+".localhost", "/brand/icon/fde68a.svg")
			if icon.Status != 200 || icon.Header.Get("Content-Type") != "image/svg+xml" || !strings.Contains(icon.Body, `fill="#fde68a"`) {
				t.Fatalf("colour favicon: %d %s", icon.Status, icon.Body)
			}
			noPlatform(t, "colour favicon", icon)
		})
	}
}

// TestThemeTextColour checks that a chosen colour's theme carries the text
// colour computed for contrast, readable at 4.5:1 at least.
func TestThemeTextColour(t *testing.T) {
	db := testdb.SQLite(t)
	ctx := context.Background()
	a, err := tenant.NewStore(db.DB).CreateAgency(ctx, "Acme", "acme")
	if err != nil {
		t.Fatal(err)
	}
	env := servertest.New(t, db)
	themeRE := regexp.MustCompile(`href="(/brand/theme/[0-9a-f]{6}-[0-9a-f]{6}\.css)"`)
	tests := []struct {
		name, color, wantText string
	}{
		{name: "dark blue takes light text", color: "#1E3A8A", wantText: branding.TextLight},
		{name: "pale yellow takes dark text", color: "#fde68a", wantText: branding.TextDark},
		{name: "teal takes light text", color: "#0f766e", wantText: branding.TextLight},
		{name: "shorthand lime takes dark text", color: "#af0", wantText: branding.TextDark},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := branding.NewStore(db.DB).SetText(ctx, a.ID, "", tt.color); err != nil {
				t.Fatal(err)
			}
			env.Reload()
			b := env.Browser()
			m := themeRE.FindStringSubmatch(b.Get("acme.localhost", "/login").Body)
			if m == nil {
				t.Fatal("no theme on the page")
			}
			css := b.Get("acme.localhost", m[1])
			color, _ := branding.ParseColor(tt.color)
			want := ":root{--brand:" + color + ";--brand-text:" + tt.wantText + "}"
			if css.Status != 200 || !strings.HasPrefix(css.Header.Get("Content-Type"), "text/css") || strings.TrimSpace(css.Body) != want {
				t.Fatalf("theme %s = %d %q, want %q", m[1], css.Status, css.Body, want)
			}
			other := branding.TextDark
			if tt.wantText == branding.TextDark {
				other = branding.TextLight
			}
			if r := branding.ContrastRatio(color, tt.wantText); r < 4.5 || r < branding.ContrastRatio(color, other) {
				t.Fatalf("contrast %.2f:1 (other %.2f:1)", r, branding.ContrastRatio(color, other))
			}
		})
	}
}
