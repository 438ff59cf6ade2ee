package journey

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"workrate/branding/brandingtest"
)

const platformName = "Harbor Client Hub"

// TestWhiteLabel: the owner sets a platform name and uploads a logo; the
// client's sign-in page, dashboard and 404 page show them, the logo really
// loads, and nothing on those pages — text, markup or title — names the
// platform the agency runs on.
func TestWhiteLabel(t *testing.T) {
	w := newWorld(t)
	ctx, temporary := w.client("dashboard", "tickets", "messages")

	w.open(w.owner, "/staff/settings/branding", "#platform_name")
	shot(t, w.owner, "staff-branding")
	typeInto(t, w.owner, "#platform_name", platformName)
	click(t, w.owner, `form[action="/staff/settings/branding"] button[type="submit"]`, "#platform_name")
	logo := filepath.Join(t.TempDir(), "harbor-logo.png")
	if err := os.WriteFile(logo, brandingtest.PNG(240, 120), 0o644); err != nil {
		t.Fatal(err)
	}
	do(t, w.owner, "choose the logo", chromedp.SetUploadFiles(chromedp.CSS("#logo-file"), []string{logo}))
	click(t, w.owner, `form[action="/staff/settings/branding/logo"] button[type="submit"]`, ".logo-current img.logo-sample")
	shot(t, w.owner, "staff-branding-saved")
	logoURL := get(t, w.owner, "logo address", chromedp.Evaluate[string](`document.querySelector('.logo-current img.logo-sample').getAttribute('src')`))
	if logoURL == "" {
		t.Fatal("no logo shown after the upload")
	}

	w.open(ctx, "/login", "#email")
	shot(t, ctx, "login")
	assertBranded(t, ctx, logoURL)
	w.firstLogin(ctx, temporary)
	w.open(ctx, "/", "nav a[data-tool]")
	shot(t, ctx, "dashboard")
	assertBranded(t, ctx, logoURL)
	w.open(ctx, "/invoices", ".error-page")
	shot(t, ctx, "invoices-404")
	assertBranded(t, ctx, logoURL)

	do(t, ctx, "phone-sized window", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch))
	w.open(ctx, "/", "nav a[data-tool]")
	shot(t, ctx, "dashboard-mobile")
	assertFits(t, ctx, 390)
}

// assertBranded checks that the page shows the agency's platform name and
// its logo (loaded, not broken), and never the platform's own name.
func assertBranded(t *testing.T, ctx context.Context, logoURL string) {
	t.Helper()
	if got := text(t, ctx, ".topbar .brand-name"); got != platformName {
		t.Errorf("%s: brand name %q, want %q", path(t, ctx), got, platformName)
	}
	if src := get(t, ctx, "logo", chromedp.Evaluate[string](`document.querySelector('.topbar img.brand-logo')?.getAttribute('src') ?? ''`)); src != logoURL {
		t.Errorf("%s: top bar logo %q, want %q", path(t, ctx), src, logoURL)
	}
	loaded := get(t, ctx, "logo loaded", chromedp.Poll[bool](`(() => { const i = document.querySelector('.topbar img.brand-logo'); return i && i.complete && i.naturalWidth > 0; })()`))
	if !loaded {
		t.Errorf("%s: logo did not load", path(t, ctx))
	}
	title := get(t, ctx, "title", chromedp.Title())
	if !strings.Contains(title, platformName) {
		t.Errorf("%s: title %q lacks %q", path(t, ctx), title, platformName)
	}
	html := get(t, ctx, "markup", chromedp.Evaluate[string](`document.documentElement.outerHTML`))
	for _, s := range []string{title, html} {
		if strings.Contains(strings.ToLower(s), "workrate") {
			i := strings.Index(strings.ToLower(s), "workrate")
			t.Errorf("%s: names the platform: …%s…", path(t, ctx), s[max(0, i-80):min(len(s), i+40)])
		}
	}
}
