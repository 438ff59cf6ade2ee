package server_test

import (
	"context"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"workrate/access"
	"workrate/auth"
	"workrate/fixture"
	"workrate/locale"
	"workrate/migrations/testdb"
	"workrate/server/servertest"
	"workrate/tenant"
)

// cheapParams hashes the test accounts' passwords fast; verification reads
// the parameters from the hash.
var cheapParams = auth.Params{Memory: 64, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16}

const (
	i18nHost     = "agency-a.localhost"
	i18nPlatform = "localhost"
	i18nPassword = "correct horse battery"
)

// renderedPage is one page as a user of one kind sees it in one language.
type renderedPage struct {
	name   string // "staff GET /staff/workspaces/:id/tasks", stable across languages
	status int
	lang   string   // <html lang>
	texts  []string // visible text nodes and labelling attributes
}

// i18nUsers holds the signed-in browsers of every kind of user.
type i18nUsers struct {
	env        *servertest.Env
	f          *fixture.Fixture
	staff, ops *servertest.Browser
	a2Account  string // the portal account of A2, only ever throttled
}

// newI18nUsers builds the fixture with a staff owner, an operator and a
// portal login for A1 with every tool, and signs each of them in.
func newI18nUsers(t *testing.T, db testdb.DB) *i18nUsers {
	t.Helper()
	ctx := context.Background()
	f := fixture.New(t, db.DB)
	accounts := auth.NewStore(db.DB)
	hash, err := auth.HashPassword(i18nPassword, cheapParams)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := accounts.SetStaffPassword(ctx, f.A.ID, f.StaffA.ID, hash); err != nil {
		t.Fatal(err)
	}
	if _, err := accounts.CreateOperator(ctx, "ops@platform.example", hash); err != nil {
		t.Fatal(err)
	}
	if _, err := tenant.NewStore(db.DB).AddDomain(ctx, f.A.ID, "portal.mark-a.example"); err != nil {
		t.Fatal(err)
	}
	env := servertest.New(t, db)
	env.Reload()
	u := &i18nUsers{env: env, f: f, staff: env.Browser(), ops: env.Browser()}
	email, tools := "client-a2@client.example", []string{"dashboard"}
	res, err := env.App.Access().Save(ctx, *f.A, f.A2.ID, access.Actor{Kind: access.ActorStaff, ID: f.StaffA.ID, Name: f.StaffA.Name},
		access.Input{Enabled: true, LoginEmail: &email, TemporaryPassword: "temporary-pass-a2-42", Tools: &tools})
	if err != nil {
		t.Fatal(err)
	}
	u.a2Account = res.Account.ID
	if r := u.staff.Post(i18nHost, "/staff/login", servertest.Values("email", f.StaffA.Email, "password", i18nPassword)); r.Status != http.StatusSeeOther {
		t.Fatalf("staff sign-in = %d", r.Status)
	}
	if r := u.ops.Post(i18nPlatform, "/operator/login", servertest.Values("email", "ops@platform.example", "password", i18nPassword)); r.Status != http.StatusSeeOther {
		t.Fatalf("operator sign-in = %d", r.Status)
	}
	return u
}

// newClient gives the A1 portal login a new temporary password and signs a
// new browser in with it in lang: the answer is the new-password page.
func (u *i18nUsers) newClient(t *testing.T, lang string) *servertest.Browser {
	t.Helper()
	email, tools, temp := "client-a1@client.example", []string{"dashboard", "tickets", "messages", "tasks", "invoices"}, "temporary-pass-"+lang+"42"
	_, err := u.env.App.Access().Save(context.Background(), *u.f.A, u.f.A1.ID,
		access.Actor{Kind: access.ActorStaff, ID: u.f.StaffA.ID, Name: u.f.StaffA.Name},
		access.Input{Enabled: true, LoginEmail: &email, TemporaryPassword: temp, Tools: &tools})
	if err != nil {
		t.Fatal(err)
	}
	b := u.env.Browser()
	b.SetCookie(i18nHost, &http.Cookie{Name: "lang", Value: lang})
	if r := b.Post(i18nHost, "/login", servertest.Values("email", email, "password", temp)); r.Status != http.StatusSeeOther || r.Location() != "/password" {
		t.Fatalf("client sign-in = %d %s", r.Status, r.Location())
	}
	return b
}

// renderAll renders every page of the product in lang: public pages, the
// new-password page, every GET route as the user it is for, error pages and
// the pages that answer refused forms.
func (u *i18nUsers) renderAll(t *testing.T, lang string) map[string]renderedPage {
	t.Helper()
	rr := &rendering{t: t, pages: map[string]renderedPage{}}
	anon := u.env.Browser()
	anon.SetCookie(i18nHost, &http.Cookie{Name: "lang", Value: lang})
	anon.SetCookie(i18nPlatform, &http.Cookie{Name: "lang", Value: lang})
	u.renderPublic(rr, anon)
	u.renderThrottled(rr, anon)
	client := u.renderFirstSignIn(rr, lang)
	u.renderRoutes(rr, client)
	u.renderRefusedForms(rr, client)
	return rr.pages
}

// rendering collects rendered pages by name.
type rendering struct {
	t     *testing.T
	pages map[string]renderedPage
}

// get renders path on host as who, under name.
func (rr *rendering) get(who string, b *servertest.Browser, host, path, name string) *servertest.Response {
	rr.t.Helper()
	r := b.Get(host, path)
	rr.pages[who+" GET "+name] = parsePage(rr.t, who+" GET "+name, r)
	return r
}

// post renders the answer to a form posted to path on host as who.
func (rr *rendering) post(who string, b *servertest.Browser, host, path string, kv ...string) {
	rr.t.Helper()
	r := b.Post(host, path, servertest.Values(kv...))
	rr.pages[who+" POST "+path] = parsePage(rr.t, who+" POST "+path, r)
}

// renderPublic renders the pages before sign-in and refused sign-ins.
func (u *i18nUsers) renderPublic(rr *rendering, anon *servertest.Browser) {
	for _, p := range []string{"/", "/login", "/staff/login", "/no-such-page"} {
		rr.get("anonymous", anon, i18nHost, p, p)
		rr.get("anonymous platform", anon, i18nPlatform, p, p)
	}
	rr.get("anonymous platform", anon, i18nPlatform, "/operator/login", "/operator/login")
	rr.post("anonymous", anon, i18nHost, "/login", "email", "nobody@client.example", "password", "wrong-password-1")
	rr.post("anonymous", anon, i18nHost, "/staff/login", "email", "nobody@agency-a.example", "password", "wrong-password-1")
}

// renderThrottled renders the throttled sign-in pages: five failures
// recorded from this address first, removed again afterwards (the next
// language starts again: this address's failures would add up).
func (u *i18nUsers) renderThrottled(rr *rendering, anon *servertest.Browser) {
	t, f := rr.t, u.f
	ctx := context.Background()
	accounts := auth.NewStore(u.env.DB.DB)
	for range 5 {
		for _, a := range []auth.Attempt{{AgencyID: f.A.ID, AccountID: f.StaffA.ID, Kind: auth.KindStaff, Email: f.StaffA.Email},
			{AgencyID: f.A.ID, WorkspaceID: f.A2.ID, AccountID: u.a2Account, Kind: auth.KindClient, Email: "client-a2@client.example"}} {
			a.IP, a.Host, a.Reason = "192.0.2.10", i18nHost, auth.ReasonWrongPassword
			if err := accounts.RecordAttempt(ctx, &a); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, pe := range [][2]string{{"/login", "client-a2@client.example"}, {"/staff/login", f.StaffA.Email}} {
		path, email := pe[0], pe[1]
		r := anon.Post(i18nHost, path, servertest.Values("email", email, "password", "wrong-password-1"))
		if r.Status != http.StatusTooManyRequests {
			t.Fatalf("POST %s as %s = %d, want 429", path, email, r.Status)
		}
		rr.pages["anonymous POST "+path+" (throttled)"] = parsePage(t, path+" (throttled)", r)
	}
	if _, err := u.env.DB.DB.NewDelete().Table("login_attempts").Where("success = ?", false).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	u.env.App.Hashes().ForgetLocks()
}

// renderFirstSignIn renders a new client's password pages, then sets lang
// for the client, the staff member and the operator; it returns the client.
func (u *i18nUsers) renderFirstSignIn(rr *rendering, lang string) *servertest.Browser {
	t := rr.t
	client := u.newClient(t, lang)
	if r := client.Post(i18nHost, "/language", servertest.Values("lang", lang, "next", "/password")); r.Status != http.StatusSeeOther {
		t.Fatalf("client language = %d", r.Status)
	}
	rr.get("client", client, i18nHost, "/password", "/password (new)")
	rr.post("client", client, i18nHost, "/password", "new_password", "short", "confirm_password", "short")
	if r := client.Post(i18nHost, "/password", servertest.Values("new_password", "own-password-4242", "confirm_password", "own-password-4242")); r.Status != http.StatusSeeOther {
		t.Fatalf("new password = %d", r.Status)
	}
	if r := u.staff.Post(i18nHost, "/language", servertest.Values("lang", lang, "next", "/staff")); r.Status != http.StatusSeeOther {
		t.Fatalf("staff language = %d", r.Status)
	}
	if r := u.ops.Post(i18nPlatform, "/language", servertest.Values("lang", lang, "next", "/operator")); r.Status != http.StatusSeeOther {
		t.Fatalf("operator language = %d", r.Status)
	}
	return client
}

// fillParams puts ids into a route path's parameters.
func fillParams(path string, ids map[string]string) string {
	parts := strings.Split(path, "/")
	for i, p := range parts {
		if strings.HasPrefix(p, ":") {
			parts[i] = ids[p[1:]]
		}
	}
	return strings.Join(parts, "/")
}

// renderRoutes renders every GET route as the user it is for, with agency
// A's ids, and the not-found pages of each surface.
func (u *i18nUsers) renderRoutes(rr *rendering, client *servertest.Browser) {
	f := u.f
	ids := map[string]string{"id": f.A1.ID, "task_id": f.A1.TaskID, "ticket_id": f.A1.TicketID, "invoice_id": f.A1.SentInvoiceID}
	routes := 0
	for _, rt := range u.env.App.Routes() {
		if rt.Method != http.MethodGet || strings.HasPrefix(rt.Path, "/api/") || strings.HasPrefix(rt.Path, "/brand/") ||
			strings.HasPrefix(rt.Path, "/static/") || rt.Path == "/healthz" || rt.Path == "/readyz" || strings.Contains(rt.Path, "/login") {
			continue
		}
		routes++
		switch {
		case strings.HasPrefix(rt.Path, "/staff"):
			rr.get("staff", u.staff, i18nHost, fillParams(rt.Path, ids), rt.Path)
			if strings.Contains(rt.Path, ":invoice_id") {
				rr.get("staff", u.staff, i18nHost, fillParams(rt.Path, map[string]string{"id": f.A1.ID, "invoice_id": f.A1.DraftInvoiceID}), rt.Path+" (draft)")
			}
		case strings.HasPrefix(rt.Path, "/operator"):
			rr.get("operator", u.ops, i18nPlatform, rt.Path, rt.Path)
		default:
			clientIDs := map[string]string{"id": f.A1.TicketID}
			if strings.HasPrefix(rt.Path, "/invoices") {
				clientIDs["id"] = f.A1.SentInvoiceID
			}
			rr.get("client", client, i18nHost, fillParams(rt.Path, clientIDs), rt.Path)
		}
	}
	if routes < 30 {
		rr.t.Errorf("rendered only %d GET routes", routes)
	}
	rr.get("client", client, i18nHost, "/no-such-page", "/no-such-page")
	rr.get("staff", u.staff, i18nHost, "/staff/workspaces/"+f.B1.ID, "/staff/workspaces/(other agency)")
	rr.get("operator", u.ops, i18nPlatform, "/operator/no-such-page", "/operator/no-such-page")
}

// renderRefusedForms renders the answers to refused forms: the validation
// messages.
func (u *i18nUsers) renderRefusedForms(rr *rendering, client *servertest.Browser) {
	f := u.f
	ws := "/staff/workspaces/" + f.A1.ID
	rr.post("client", client, i18nHost, "/tickets", "subject", "", "body", "")
	rr.post("client", client, i18nHost, "/messages", "body", "")
	rr.post("client", client, i18nHost, "/tickets/"+f.A1.TicketID+"/replies", "body", "")
	rr.post("staff", u.staff, i18nHost, "/staff/workspaces", "name", "")
	rr.post("staff", u.staff, i18nHost, ws+"/settings", "name", "")
	rr.post("staff", u.staff, i18nHost, ws+"/tasks", "title", "")
	rr.post("staff", u.staff, i18nHost, ws+"/tickets", "subject", "")
	rr.post("staff", u.staff, i18nHost, ws+"/invoices", "number", "")
	rr.post("staff", u.staff, i18nHost, ws+"/portal", "action", "save", "enabled", "1", "login_email", "not-an-email", "tools_sent", "1")
	rr.post("staff", u.staff, i18nHost, "/staff/settings", "name", "")
	rr.post("staff", u.staff, i18nHost, "/staff/settings/team", "email", "bad")
	rr.post("staff", u.staff, i18nHost, "/staff/settings/domains", "hostname", "not a host")
	rr.post("staff", u.staff, i18nHost, "/staff/settings/branding", "platform_name", "", "primary_color", "blue")
	rr.post("staff", u.staff, i18nHost, "/staff/account/password", "current_password", "wrong")
	rr.post("operator", u.ops, i18nPlatform, "/operator/agencies", "name", "", "slug", "")
}

// parsePage extracts what a reader sees of an HTML answer.
func parsePage(t *testing.T, name string, r *servertest.Response) renderedPage {
	t.Helper()
	p := renderedPage{name: name, status: r.Status}
	if r.Status >= 500 {
		t.Errorf("%s = %d", name, r.Status)
	}
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") || r.Status >= 300 && r.Status < 400 {
		return p
	}
	doc, err := html.Parse(strings.NewReader(r.Body))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.ElementNode:
			if n.Data == "script" || n.Data == "style" {
				return
			}
			for _, a := range n.Attr {
				switch {
				case n.Data == "html" && a.Key == "lang":
					p.lang = a.Val
				case a.Key == "placeholder" || a.Key == "aria-label" || a.Key == "title" || a.Key == "alt" ||
					a.Key == "data-confirm" || a.Key == "value" && n.Data == "input" && attr(n, "type") == "submit":
					p.texts = append(p.texts, strings.Join(strings.Fields(a.Val), " "))
				}
			}
		case html.TextNode:
			if s := strings.Join(strings.Fields(n.Data), " "); s != "" {
				p.texts = append(p.texts, s)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return p
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// words counts the words of letters in s.
var wordRE = regexp.MustCompile(`\p{L}{2,}`)

// sameAsEnglish reports whether a text node of a translated page may be
// left identical to the English one: user data, names, numbers, emails,
// hosts and the like.
func sameAsEnglishAllowed(s string, data []string) bool {
	if len(wordRE.FindAllString(s, -1)) < 2 {
		return true
	}
	for _, d := range data {
		if strings.Contains(s, d) {
			return true
		}
	}
	return false
}

// sameWords are the single words a translated page shows exactly as the
// English one does, because the language uses the same word.
var sameWords = map[string][]string{
	"de": {"Branding", "Domain", "Domains", "Hostname", "Name", "Normal", "Optional", "optional", "Status", "Tickets", "Total", "WorkRate"},
	"fr": {"Actions", "Active", "Description", "Messages", "Note", "Service", "Tickets", "Total", "Type", "WorkRate"},
	"es": {"No", "Normal", "Tickets", "Total", "WorkRate"},
}

// decimalPoint finds a number written with an English decimal point, as in
// "1.5" or "95.00" (German dates "02.01.2026" and grouping "1.250" excepted).
var decimalPoint = regexp.MustCompile(`(?:^|[^\d.])\d+\.\d{1,2}(?:$|[^\d.])`)

// TestEveryPageTranslated renders every page in every language and wants no
// raw message id anywhere and, in German, French and Spanish, no text left as
// in English beyond names and data.
func TestEveryPageTranslated(t *testing.T) {
	bundle := locale.MustNew()
	prefixes, known := map[string]bool{}, map[string]bool{}
	for _, id := range bundle.MessageIDs("en") {
		prefixes[strings.SplitN(id, ".", 2)[0]] = true
		known[id] = true
	}
	hostRE := regexp.MustCompile(`\.(com|fr|de|es|example|localhost|net|org)$`)
	idRE := regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$`)
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			u := newI18nUsers(t, db)
			f := u.f
			// Names and data the pages show as they are, in every language.
			data := []string{"MARK-", "@", "Staff A", "Client A", "WorkRate", "portal.mark-a.example", "agency-a.localhost",
				"localhost", "http://", "https://", "CNAME", "TXT", "Deutsch", "English", "Français", "Español", f.A.Name}
			var english map[string]renderedPage
			for _, l := range bundle.Languages() {
				pages := u.renderAll(t, l.Tag)
				if l.Tag == "en" {
					english = pages
				}
				names := make([]string, 0, len(pages))
				for name := range pages {
					names = append(names, name)
				}
				slices.Sort(names)
				for _, name := range names {
					p := pages[name]
					if p.texts == nil {
						continue
					}
					if p.lang != l.Tag {
						t.Errorf("%s: %s: <html lang=%q>", l.Tag, name, p.lang)
					}
					for _, s := range p.texts {
						for _, tok := range strings.Fields(s) {
							tok = strings.Trim(tok, `,;:()"'«»¿?¡!`)
							if known[tok] || idRE.MatchString(tok) && prefixes[strings.SplitN(tok, ".", 2)[0]] && !hostRE.MatchString(tok) {
								t.Errorf("%s: %s: raw message id %q in %q", l.Tag, name, tok, s)
							}
						}
					}
					if l.Tag == "en" {
						continue
					}
					en, ok := english[name]
					if !ok {
						t.Errorf("%s: %s: no English rendering", l.Tag, name)
						continue
					}
					if en.status != p.status {
						t.Errorf("%s: %s = %d, in English %d", l.Tag, name, p.status, en.status)
					}
					for _, s := range p.texts {
						if slices.Contains(en.texts, s) && !sameAsEnglishAllowed(s, data) {
							t.Errorf("%s: %s: English left: %q", l.Tag, name, s)
						}
						if w := wordRE.FindAllString(s, -1); len(w) == 1 && slices.Contains(en.texts, s) && s == w[0] && !slices.Contains(sameWords[l.Tag], s) && !slices.Contains(data, s) {
							t.Errorf("%s: %s: word left in English: %q (a word that is the same in %s belongs in sameWords)", l.Tag, name, s, l.Tag)
						}
						if m := decimalPoint.FindString(s); m != "" && !strings.Contains(s, "MARK-") {
							t.Errorf("%s: %s: number with a decimal point %q in %q", l.Tag, name, m, s)
						}
					}
				}
			}
			if len(english) < 60 {
				t.Errorf("rendered only %d pages", len(english))
			}
		})
	}
}

// portalPages renders the client's pages and returns them by path.
func (u *i18nUsers) portalPages(t *testing.T, b *servertest.Browser) map[string]renderedPage {
	t.Helper()
	pages := map[string]renderedPage{}
	for _, p := range []string{"/", "/tickets", "/tickets/" + u.f.A1.TicketID, "/messages", "/tasks", "/invoices",
		"/invoices/" + u.f.A1.SentInvoiceID, "/password"} {
		r := b.Get(i18nHost, p)
		if r.Status != http.StatusOK {
			t.Fatalf("GET %s = %d", p, r.Status)
		}
		pages[p] = parsePage(t, p, r)
	}
	return pages
}

// TestPortalSwitchToGerman: a new client reads the portal in English,
// switches to German with the switcher, sees every label change, and gets
// German again at the next sign-in from a browser that never chose.
func TestPortalSwitchToGerman(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			u := newI18nUsers(t, db)
			b := u.newClient(t, "en")
			if r := b.Post(i18nHost, "/password", servertest.Values("new_password", "own-password-4242", "confirm_password", "own-password-4242")); r.Status != http.StatusSeeOther {
				t.Fatalf("new password = %d", r.Status)
			}
			english := u.portalPages(t, b)
			// The switcher is on every page and posts back to it.
			for p := range english {
				r := b.Get(i18nHost, p)
				if !strings.Contains(r.Body, `action="/language"`) || !strings.Contains(r.Body, `<option value="de">Deutsch</option>`) {
					t.Errorf("%s: no language switcher", p)
				}
			}
			r := b.Post(i18nHost, "/language", servertest.Values("lang", "de", "next", "/tickets"))
			if r.Status != http.StatusSeeOther || r.Location() != "/tickets" {
				t.Fatalf("switch = %d %s", r.Status, r.Location())
			}
			data := []string{"MARK-", "@", "Staff A", "Client A", "WorkRate", "Deutsch", "English", "Français", "Español", u.f.A.Name}
			check := func(what string, german map[string]renderedPage) {
				t.Helper()
				for p, de := range german {
					if de.lang != "de" {
						t.Errorf("%s: %s: <html lang=%q>", what, p, de.lang)
					}
					changed := 0
					for _, s := range english[p].texts {
						if !slices.Contains(de.texts, s) {
							changed++
							continue
						}
						if len(wordRE.FindAllString(s, -1)) > 0 && !slices.Contains(sameWords["de"], strings.Trim(s, "()")) && !slices.ContainsFunc(data, func(d string) bool { return strings.Contains(s, d) }) {
							t.Errorf("%s: %s: label unchanged in German: %q", what, p, s)
						}
					}
					if changed < 5 {
						t.Errorf("%s: %s: only %d texts changed", what, p, changed)
					}
				}
			}
			check("after the switch", u.portalPages(t, b))

			// Signed out, then signed in from a new browser with no language cookie.
			if r := b.Post(i18nHost, "/logout", nil); r.Status != http.StatusSeeOther {
				t.Fatalf("logout = %d", r.Status)
			}
			next := u.env.Browser()
			next.Header.Set("Accept-Language", "en-US,en;q=0.9")
			if r := next.Post(i18nHost, "/login", servertest.Values("email", "client-a1@client.example", "password", "own-password-4242")); r.Status != http.StatusSeeOther {
				t.Fatalf("second sign-in = %d", r.Status)
			}
			check("at the next sign-in", u.portalPages(t, next))
		})
	}
}

// pageLang returns the <html lang> of the page at path on host.
func pageLang(t *testing.T, b *servertest.Browser, host, path string) string {
	t.Helper()
	r := b.Get(host, path)
	m := regexp.MustCompile(`<html lang="([^"]*)"`).FindStringSubmatch(r.Body)
	if m == nil {
		t.Fatalf("GET %s = %d without <html lang>", path, r.Status)
	}
	return m[1]
}

// staffIn signs staff member A in with a browser sending acceptLanguage.
func (u *i18nUsers) staffIn(t *testing.T, acceptLanguage string) *servertest.Browser {
	t.Helper()
	b := u.env.Browser()
	b.Header.Set("Accept-Language", acceptLanguage)
	if r := b.Post(i18nHost, "/staff/login", servertest.Values("email", u.f.StaffA.Email, "password", i18nPassword)); r.Status != http.StatusSeeOther {
		t.Fatalf("staff sign-in = %d", r.Status)
	}
	return b
}

// TestLanguageChoiceOrder: the user's own choice (saved on the account,
// remembered at the next sign-in, for clients and staff), then the agency's
// default language, then Accept-Language, then English.
func TestLanguageChoiceOrder(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			u := newI18nUsers(t, db)
			lang := func(b *servertest.Browser, host, path string) string { return pageLang(t, b, host, path) }
			staffIn := func(acceptLanguage string) *servertest.Browser { return u.staffIn(t, acceptLanguage) }
			anon := u.env.Browser()
			if got := lang(anon, i18nHost, "/login"); got != "en" {
				t.Errorf("nothing chosen: %s, want en", got)
			}
			// Every agency has a default language ("en" unless changed), so the
			// browser's language decides where no agency does: the platform host.
			anon.Header.Set("Accept-Language", "es-ES,es;q=0.9,en;q=0.5")
			if got := lang(anon, i18nPlatform, "/login"); got != "es" {
				t.Errorf("Accept-Language es on the platform host: %s", got)
			}
			if got := lang(anon, i18nHost, "/login"); got != "en" {
				t.Errorf("agency default en over Accept-Language es: %s", got)
			}
			if err := tenant.NewStore(db.DB).SetDefaultLanguage(context.Background(), u.f.A.ID, "fr"); err != nil {
				t.Fatal(err)
			}
			u.env.Reload()
			if got := lang(anon, i18nHost, "/login"); got != "fr" {
				t.Errorf("agency default fr over Accept-Language es: %s", got)
			}
			if got := lang(staffIn("es"), i18nHost, "/staff/workspaces"); got != "fr" {
				t.Errorf("staff without a choice: %s, want the agency's fr", got)
			}
			anon.Post(i18nHost, "/language", servertest.Values("lang", "de", "next", "/login"))
			if got := lang(anon, i18nHost, "/login"); got != "de" {
				t.Errorf("own choice de over the agency's fr: %s", got)
			}

			// Staff: the switcher saves the choice on the account.
			b := staffIn("en")
			b.Post(i18nHost, "/language", servertest.Values("lang", "es", "next", "/staff/workspaces"))
			if got := lang(b, i18nHost, "/staff/workspaces"); got != "es" {
				t.Errorf("staff switched to es: %s", got)
			}
			b.Post(i18nHost, "/staff/logout", nil)
			if got := lang(staffIn("de"), i18nHost, "/staff/workspaces"); got != "es" {
				t.Errorf("staff at the next sign-in: %s, want the saved es", got)
			}
			// A choice made before signing in becomes the account's when it has none.
			if _, err := u.env.DB.ExecContext(context.Background(), "UPDATE staff_users SET language = '' WHERE id = ?", u.f.StaffA.ID); err != nil {
				t.Fatal(err)
			}
			b = u.env.Browser()
			b.Post(i18nHost, "/language", servertest.Values("lang", "de", "next", "/staff/login"))
			if r := b.Post(i18nHost, "/staff/login", servertest.Values("email", u.f.StaffA.Email, "password", i18nPassword)); r.Status != http.StatusSeeOther {
				t.Fatalf("staff sign-in = %d", r.Status)
			}
			if got := lang(staffIn("en"), i18nHost, "/staff/account"); got != "de" {
				t.Errorf("staff choice before sign-in not kept: %s", got)
			}

			// Operators keep the cookie.
			u.ops.Post(i18nPlatform, "/language", servertest.Values("lang", "fr", "next", "/operator/agencies"))
			if got := lang(u.ops, i18nPlatform, "/operator/agencies"); got != "fr" {
				t.Errorf("operator: %s", got)
			}
		})
	}
}
