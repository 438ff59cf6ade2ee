package journey

import (
	"context"
	"slices"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestClientChoosesGerman: the client switches the portal to German from the
// language selector; the labels change, and they stay German after signing
// out and in again — in the same browser, and on another computer, where the
// account's saved choice applies from the first page after signing in.
func TestClientChoosesGerman(t *testing.T) {
	w := newWorld(t)
	ctx, temporary := w.client("tickets", "messages", "tasks")
	w.firstLogin(ctx, temporary)
	click(t, ctx, `nav a[data-tool="tickets"]`, "#subject")
	if got := labels(t, ctx); !slices.Equal(got, []string{"Tickets", "Messages", "Tasks", "Log out"}) {
		t.Fatalf("English labels = %v", got)
	}

	follow(t, ctx, "choose Deutsch",
		// Choose as a user does: set the value and fire the change the selector submits on.
		chromedp.Evaluate[chromedp.Void](`(() => { const s = document.querySelector('#lang-select'); s.value = 'de'; s.dispatchEvent(new Event('change')); })()`),
		`html[lang="de"] #subject`)
	shot(t, ctx, "tickets-de")
	german := []string{"Tickets", "Nachrichten", "Aufgaben", "Abmelden"}
	if got := labels(t, ctx); !slices.Equal(got, german) {
		t.Errorf("after choosing German, labels = %v, want %v", got, german)
	}
	if got := text(t, ctx, `form[action="/tickets"] button[type="submit"]`); got != "Anfrage senden" {
		t.Errorf("submit button reads %q", got)
	}

	click(t, ctx, `form[action="/logout"] button`, `html[lang="de"] #email`)
	shot(t, ctx, "login-de")
	if got := text(t, ctx, "main h1"); got != "Anmelden" {
		t.Errorf("sign-in page after signing out: heading %q", got)
	}
	w.clientLogin(ctx, clientEmail, newPassword, `html[lang="de"] nav a[data-tool]`)
	if got := labels(t, ctx); !slices.Equal(got, german) {
		t.Errorf("after signing in again, labels = %v, want %v", got, german)
	}

	// Another computer: no language cookie, English until the account is known.
	other := w.window()
	w.open(other, "/login", `html[lang="en"] #email`)
	w.clientLogin(other, clientEmail, newPassword, `html[lang="de"] nav a[data-tool]`)
	shot(t, other, "other-computer-de")
	if got := labels(t, other); !slices.Equal(got, german) {
		t.Errorf("on another computer, labels = %v, want %v", got, german)
	}
}

// labels are the texts of the nav's tool links and of the sign-out button.
func labels(t *testing.T, ctx context.Context) []string {
	t.Helper()
	return get(t, ctx, "labels", chromedp.Evaluate[[]string](
		`[...document.querySelectorAll('nav a[data-tool], form[action="/logout"] button')].map(e => e.textContent.trim())`))
}
