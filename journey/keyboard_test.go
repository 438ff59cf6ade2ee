package journey

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestKeyboardOnly: a client who uses no mouse signs in and submits a ticket:
// the first field takes the focus, Tab moves from field to field in reading
// order with a visible focus ring, and Enter submits. No step clicks.
func TestKeyboardOnly(t *testing.T) {
	w := newWorld(t)
	setup, temporary := w.client("tickets", "messages")
	w.firstLogin(setup, temporary)

	ctx := w.window()
	w.open(ctx, "/login", "#email")
	do(t, ctx, "focus the email field", chromedp.Focus(chromedp.CSS("#email")))
	press(t, ctx, clientEmail)
	press(t, ctx, "\t")
	assertFocus(t, ctx, "#password")
	press(t, ctx, newPassword)
	shot(t, ctx, "login-typed")
	follow(t, ctx, "press Enter to sign in", chromedp.KeyEvent("\r"), "nav a[data-tool]")

	w.open(ctx, "/tickets", "#subject")
	do(t, ctx, "focus the subject", chromedp.Focus(chromedp.CSS("#subject")))
	press(t, ctx, "Invoice address has changed")
	press(t, ctx, "\t")
	assertFocus(t, ctx, "#body")
	press(t, ctx, "We moved to 12 Harbour Street.")
	press(t, ctx, "\t")
	assertFocus(t, ctx, "#priority")
	press(t, ctx, "\t")
	assertFocus(t, ctx, `form[action="/tickets"] button[type="submit"]`)
	if ring := get(t, ctx, "focus ring", chromedp.Evaluate[string](`getComputedStyle(document.activeElement).outlineStyle`)); ring == "none" {
		t.Errorf("the focused submit button shows no focus ring")
	}
	shot(t, ctx, "ticket-typed")
	follow(t, ctx, "press Enter to submit", chromedp.KeyEvent("\r"), "main h1")
	shot(t, ctx, "ticket-submitted")
	if got := text(t, ctx, "main h1"); !strings.Contains(got, "Invoice address has changed") {
		t.Errorf("after submitting, heading %q", got)
	}
	if got := text(t, ctx, "main"); !strings.Contains(got, "We moved to 12 Harbour Street.") {
		t.Errorf("ticket page lacks the body: %q", got)
	}
}

// press types keys into whatever has the focus, as a keyboard does.
func press(t *testing.T, ctx context.Context, keys string) {
	t.Helper()
	do(t, ctx, "press "+strings.ReplaceAll(keys, "\t", "Tab"), chromedp.KeyEvent(keys))
}

// assertFocus checks that the element sel has the keyboard focus.
func assertFocus(t *testing.T, ctx context.Context, sel string) {
	t.Helper()
	ok := get(t, ctx, "focus on "+sel, chromedp.Evaluate[bool](`document.activeElement === document.querySelector(`+jsString(sel)+`)`))
	if !ok {
		got := get(t, ctx, "focused element", chromedp.Evaluate[string](`document.activeElement.outerHTML.slice(0, 120)`))
		t.Fatalf("focus is on %s, want %s", got, sel)
	}
}
