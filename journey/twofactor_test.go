package journey

import (
	"context"
	"encoding/base32"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"workrate/access"
	"workrate/auth"
	"workrate/migrations/testdb"
	"workrate/store"
	"workrate/tenant"
)

// TestClientEnrolsInTwoFactor: where the agency requires two-factor sign-in,
// a client signs in with the temporary password, chooses their own, is taken
// straight to the enrolment, reads the key shown as text, types the code of
// their authenticator (computed here), sees the recovery codes once and then
// reaches their portal.
func TestClientEnrolsInTwoFactor(t *testing.T) {
	db := testdb.SQLite(t)
	s := serve(t, db)
	ctx0 := context.Background()
	agency, err := tenant.NewStore(db.DB).CreateAgency(ctx0, "Acme Agency", "acme")
	if err != nil {
		t.Fatal(err)
	}
	wsID, now := store.NewID(), store.Now()
	if _, err := db.NewRaw("INSERT INTO workspaces (id, agency_id, name, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
		wsID, agency.ID, "Bakery", now, now).Exec(ctx0); err != nil {
		t.Fatal(err)
	}
	email, temp, tools, mode := "client@bakery.example", "temporary-pass-31", []string{"dashboard", "tickets"}, auth.TOTPRequired
	if _, err := s.env.App.Access().Save(ctx0, *agency, wsID, access.Actor{Kind: access.ActorSystem, Name: "test"},
		access.Input{Enabled: true, LoginEmail: &email, TemporaryPassword: temp, Tools: &tools, TwoFactor: &mode}); err != nil {
		t.Fatal(err)
	}
	s.env.Reload()
	host := "acme.localhost"

	ctx := browser(t)
	do(t, ctx, "sign in",
		chromedp.Navigate(s.url(host, "/login")),
		chromedp.WaitVisible(chromedp.CSS("#email")),
		chromedp.SendKeys(chromedp.CSS("#email"), email),
		chromedp.SendKeys(chromedp.CSS("#password"), temp),
		chromedp.Click(chromedp.CSS(`form[action="/login"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("#new_password")),
	)
	do(t, ctx, "choose a password",
		chromedp.SendKeys(chromedp.CSS("#new_password"), "my-own-password-42"),
		chromedp.SendKeys(chromedp.CSS("#confirm_password"), "my-own-password-42"),
		chromedp.Click(chromedp.CSS(`form[action="/password"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("#totp-secret")),
	)
	shot(t, ctx, "enrol")
	if src := get(t, ctx, "qr", chromedp.Evaluate[string](`document.querySelector("img.qr").getAttribute("src")`)); !strings.HasPrefix(src, "data:image/png;base64,") {
		t.Errorf("QR code src %.40q", src)
	}
	if loaded := get(t, ctx, "qr loaded", chromedp.Evaluate[bool](`document.querySelector('img.qr').naturalWidth > 0`)); !loaded {
		t.Error("the QR code image did not load (CSP?)")
	}
	text := get(t, ctx, "secret", chromedp.Text(chromedp.CSS("#totp-secret")))
	secret, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(strings.TrimSpace(text))
	if err != nil {
		t.Fatalf("secret %q: %v", text, err)
	}
	do(t, ctx, "type the code",
		chromedp.SendKeys(chromedp.CSS("#code"), auth.TOTPCode(secret, time.Now())),
		chromedp.Click(chromedp.CSS(`form[action="/two-factor/confirm"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("#recovery-codes")),
	)
	shot(t, ctx, "recovery-codes")
	if n := get(t, ctx, "codes", chromedp.Evaluate[int](`document.querySelectorAll('#recovery-codes li').length`)); n != auth.RecoveryCodeCount {
		t.Errorf("%d recovery codes shown", n)
	}
	do(t, ctx, "continue",
		chromedp.Click(chromedp.CSS(`a.button[href="/"]`)),
		chromedp.WaitVisible(chromedp.CSS(`nav [data-tool="tickets"]`)),
	)
	shot(t, ctx, "portal")
	if path := get(t, ctx, "path", chromedp.Evaluate[string](`location.pathname`)); path != "/" {
		t.Errorf("after enrolment the client is at %q", path)
	}
}
