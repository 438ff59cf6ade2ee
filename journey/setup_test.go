package journey

import (
	"context"
	"encoding/json"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"workrate/auth"
	"workrate/migrations/testdb"
	"workrate/operator"
)

// The journeys run on SQLite only: they prove what a person sees in a
// browser, and the stores under them are proven on both databases by the
// packages' own tests. CI runs this package twice (with and without
// PostgreSQL set); both runs use SQLite here.

const (
	agencyName    = "Harbor Design"
	agencySlug    = "harbor"
	agencyHost    = "harbor.localhost"
	ownerEmail    = "olivia@harbor.example"
	ownerPassword = "lighthouse keeper 2026"
	clientEmail   = "sam@bakery.example"
	newPassword   = "fresh bread every morning"
	workspaceName = "Bakery Brothers"
)

// cheap hashes the owner's seeded password fast; sign-in still verifies it
// for real, with the parameters stored in the hash.
var cheap = auth.Params{Memory: 64, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16}

// world is one journey's app: a fresh SQLite database with the agency Harbor
// Design and its owner, served on loopback, and a browser window for the owner.
type world struct {
	t     *testing.T
	s     *site
	owner context.Context
	shots bool   // screenshot the owner's set-up steps too
	wsID  string // the client's workspace, once set up
}

// newWorld creates the agency and its owner through the real stores, serves
// the app and opens the owner's browser.
func newWorld(t *testing.T) *world {
	t.Helper()
	db := testdb.SQLite(t)
	hash, err := auth.HashPassword(ownerPassword, cheap)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := operator.CreateAgency(context.Background(), db.DB, agencyName, agencySlug, ownerEmail, "Olivia Owner", hash); err != nil {
		t.Fatal(err)
	}
	s := serve(t, db)
	return &world{t: t, s: s, owner: browser(t)}
}

// window opens a second browser window with cookies of its own: another
// person at another computer.
func (w *world) window() context.Context {
	w.t.Helper()
	ctx, cancel := chromedp.NewContext(w.owner, chromedp.WithNewBrowserContext())
	w.t.Cleanup(cancel)
	do(w.t, ctx, "open a second window")
	return ctx
}

// open loads path on the agency's host and waits until sel is visible.
func (w *world) open(ctx context.Context, path, sel string) {
	w.t.Helper()
	do(w.t, ctx, "open "+path, chromedp.Navigate(w.s.url(agencyHost, path)), chromedp.WaitVisible(chromedp.CSS(sel)))
}

// follow runs trigger (a click, a key press) that loads a new page and waits
// until that new document has loaded and shows sel. A mark set on the old
// document tells the two apart, so sel may exist on both pages.
func follow(t *testing.T, ctx context.Context, step string, trigger chromedp.Action[chromedp.Void], sel string) {
	t.Helper()
	do(t, ctx, step+": mark the page", chromedp.Evaluate[chromedp.Void](`window.journeyOldPage = true`))
	do(t, ctx, step, trigger)
	for {
		// Evaluating fails while the page is being replaced: ask again.
		loaded, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!window.journeyOldPage && document.readyState === 'complete'`))
		if err == nil && loaded {
			break
		}
		if ctx.Err() != nil {
			t.Fatalf("%s: no new page loaded: %v", step, ctx.Err())
		}
		time.Sleep(50 * time.Millisecond)
	}
	do(t, ctx, step+": wait for "+sel, chromedp.WaitVisible(chromedp.CSS(sel)))
}

// click clicks sel and waits for the next page to show next.
func click(t *testing.T, ctx context.Context, sel, next string) {
	t.Helper()
	follow(t, ctx, "click "+sel, chromedp.Click(chromedp.CSS(sel)), next)
}

// typeInto replaces the value of the field sel with text, typed key by key.
func typeInto(t *testing.T, ctx context.Context, sel, text string) {
	t.Helper()
	do(t, ctx, "type into "+sel,
		chromedp.WaitVisible(chromedp.CSS(sel)),
		chromedp.Evaluate[chromedp.Void](`document.querySelector(`+jsString(sel)+`).value = ''`),
		chromedp.SendKeys(chromedp.CSS(sel), text))
}

// text is the visible text of the first element matching sel.
func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	return get(t, ctx, "text of "+sel, chromedp.Text(chromedp.CSS(sel)))
}

// path is the current page's path and query.
func path(t *testing.T, ctx context.Context) string {
	t.Helper()
	loc := get(t, ctx, "location", chromedp.Location())
	u, err := url.Parse(loc)
	if err != nil {
		t.Fatal(err)
	}
	return u.RequestURI()
}

// ownerShot screenshots an owner's set-up step when the journey wants it.
func (w *world) ownerShot(step string) {
	w.t.Helper()
	if w.shots {
		shot(w.t, w.owner, step)
	}
}

// ownerLogin signs the owner in on the agency's host.
func (w *world) ownerLogin() {
	w.t.Helper()
	w.open(w.owner, "/staff/login", "#email")
	w.ownerShot("staff-login")
	typeInto(w.t, w.owner, "#email", ownerEmail)
	typeInto(w.t, w.owner, "#password", ownerPassword)
	click(w.t, w.owner, `main button[type="submit"]`, `a[href="/staff/workspaces/new"]`)
	w.ownerShot("staff-workspaces-empty")
}

// createWorkspace creates a workspace from the list page and returns its id.
func (w *world) createWorkspace(name string) string {
	w.t.Helper()
	click(w.t, w.owner, `main a[href="/staff/workspaces/new"]`, "#name")
	w.ownerShot("staff-workspace-new")
	typeInto(w.t, w.owner, "#name", name)
	typeInto(w.t, w.owner, "#contact_email", "hello@bakery.example")
	click(w.t, w.owner, `main button[type="submit"]`, "h1")
	w.ownerShot("staff-workspace-created")
	p := path(w.t, w.owner)
	id, ok := strings.CutPrefix(p, "/staff/workspaces/")
	id, _, _ = strings.Cut(id, "/")
	if !ok || id == "" {
		w.t.Fatalf("after creating the workspace: at %s", p)
	}
	return id
}

// enablePortal opens the workspace's Client Portal section, enables client
// login for email with a generated password and exactly tools, saves, and
// returns the onboarding message and the password.
func (w *world) enablePortal(wsID, email string, tools ...string) (onboarding, password string) {
	w.t.Helper()
	t, ctx := w.t, w.owner
	w.open(ctx, "/staff/workspaces/"+wsID+"/settings", "#client-portal")
	w.ownerShot("staff-workspace-settings")
	click(t, ctx, `#client-portal a.button`, "#enabled")
	w.ownerShot("staff-portal-section")
	w.setChecked("#enabled", true)
	typeInto(t, ctx, "#login_email", email)
	click(t, ctx, `button[value="generate"]`, "#temporary_password")
	password = get(t, ctx, "generated password", chromedp.Value(chromedp.CSS("#temporary_password")))
	if len(password) < auth.MinPasswordLength {
		t.Fatalf("generated password %q is too short", password)
	}
	if got := get(t, ctx, "login email kept", chromedp.Value(chromedp.CSS("#login_email"))); got != email {
		t.Fatalf("after Generate, login email = %q, want %q", got, email)
	}
	for _, tool := range []string{"dashboard", "tickets", "messages", "tasks", "invoices"} {
		w.setChecked("#tool-"+tool, slices.Contains(tools, tool))
	}
	w.ownerShot("staff-portal-form")
	click(t, ctx, `button[name="action"][value="save"]`, "#onboarding")
	w.ownerShot("staff-portal-saved")
	onboarding = get(t, ctx, "onboarding message", chromedp.Value(chromedp.CSS("#onboarding")))
	return onboarding, password
}

// setChecked clicks the checkbox sel when its state differs from want.
func (w *world) setChecked(sel string, want bool) {
	w.t.Helper()
	if w.checked(sel) != want {
		do(w.t, w.owner, "toggle "+sel, chromedp.Click(chromedp.CSS(sel)))
	}
}

// checked tells whether the owner's checkbox sel is checked.
func (w *world) checked(sel string) bool {
	w.t.Helper()
	return get(w.t, w.owner, "state of "+sel, chromedp.Evaluate[bool](`document.querySelector(`+jsString(sel)+`).checked`))
}

// client sets up a workspace whose client may use tools, through the owner's
// screens, and returns a fresh window for the client with the password.
func (w *world) client(tools ...string) (ctx context.Context, password string) {
	w.t.Helper()
	w.ownerLogin()
	w.wsID = w.createWorkspace(workspaceName)
	_, password = w.enablePortal(w.wsID, clientEmail, tools...)
	return w.window(), password
}

// clientLogin signs the client in with the mouse and waits for next.
func (w *world) clientLogin(ctx context.Context, email, password, next string) {
	w.t.Helper()
	w.open(ctx, "/login", "#email")
	typeInto(w.t, ctx, "#email", email)
	typeInto(w.t, ctx, "#password", password)
	click(w.t, ctx, `main button[type="submit"]`, next)
}

// firstLogin signs the client in with the temporary password and chooses
// newPassword, landing on the portal's first page.
func (w *world) firstLogin(ctx context.Context, temporary string) {
	w.t.Helper()
	w.clientLogin(ctx, clientEmail, temporary, "#new_password")
	typeInto(w.t, ctx, "#new_password", newPassword)
	typeInto(w.t, ctx, "#confirm_password", newPassword)
	click(w.t, ctx, `main button[type="submit"]`, "nav a[data-tool]")
}

// navTools lists the data-tool values of the portal's nav links.
func navTools(t *testing.T, ctx context.Context) []string {
	t.Helper()
	return get(t, ctx, "nav tools", chromedp.Evaluate[[]string](`[...document.querySelectorAll('nav a[data-tool]')].map(a => a.dataset.tool)`))
}

// topbarColour is the computed background of the page's top bar.
func topbarColour(t *testing.T, ctx context.Context) string {
	t.Helper()
	return get(t, ctx, "top bar colour", chromedp.Evaluate[string](`getComputedStyle(document.querySelector('.topbar')).backgroundColor`))
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// assertFits checks that the page needs no sideways scrolling at width.
func assertFits(t *testing.T, ctx context.Context, width int) {
	t.Helper()
	if got := get(t, ctx, "page width", chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); got > width {
		t.Errorf("%s: page is %dpx wide on a %dpx screen", path(t, ctx), got, width)
	}
}
