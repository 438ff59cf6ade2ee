package journey

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"workrate/migrations/testdb"
)

// TestPlatformHomeAndLanguage: the platform's front page renders with its
// stylesheet, and choosing German from the selector (which submits itself)
// changes the page and is remembered.
func TestPlatformHomeAndLanguage(t *testing.T) {
	s := serve(t, testdb.SQLite(t))
	ctx := browser(t)
	do(t, ctx, "open home", chromedp.Navigate(s.url("localhost", "/")), chromedp.WaitVisible(chromedp.CSS("h1")))
	shot(t, ctx, "home-en")
	if title := get(t, ctx, "title", chromedp.Title()); !strings.Contains(title, "WorkRate") {
		t.Errorf("title %q does not name the platform", title)
	}
	bg := get(t, ctx, "top bar colour", chromedp.Evaluate[string](`getComputedStyle(document.querySelector('.topbar')).backgroundColor`))
	if bg != "rgb(79, 70, 229)" {
		t.Errorf("top bar background %q: stylesheet or theme not applied", bg)
	}
	do(t, ctx, "switch to German",
		// Choose as a user does: set the value and fire the change the page listens for.
		chromedp.Evaluate[chromedp.Void](`(() => { const s = document.querySelector('#lang-select'); s.value = 'de'; s.dispatchEvent(new Event('change')); })()`),
		chromedp.WaitVisible(chromedp.CSS(`html[lang="de"] h1`)),
	)
	shot(t, ctx, "home-de")
	if h1 := get(t, ctx, "heading", chromedp.Text(chromedp.CSS("h1"))); h1 != "Willkommen" {
		t.Errorf("German heading = %q", h1)
	}
	do(t, ctx, "reload", chromedp.Navigate(s.url("localhost", "/")), chromedp.WaitVisible(chromedp.CSS("h1")))
	if lang := get(t, ctx, "lang", chromedp.Evaluate[string](`document.documentElement.lang`)); lang != "de" {
		t.Errorf("language not remembered: lang=%q", lang)
	}
}
