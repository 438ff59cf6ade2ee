package journey

import (
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestClientFirstVisit: the client signs in on the agency's host with the
// temporary password, must choose a password before anything else opens,
// sees exactly the three tools the agency enabled, submits a ticket, replies
// in messages, and typing the address of a tool left out gets the agency's
// own 404 page.
func TestClientFirstVisit(t *testing.T) {
	w := newWorld(t)
	ctx, temporary := w.client("tickets", "messages", "tasks")

	w.open(ctx, "/login", "#email")
	shot(t, ctx, "login")
	typeInto(t, ctx, "#email", clientEmail)
	typeInto(t, ctx, "#password", temporary)
	click(t, ctx, `main button[type="submit"]`, "#new_password")
	shot(t, ctx, "choose-password")
	if got := path(t, ctx); got != "/password" {
		t.Errorf("after the first sign-in at %s, want /password", got)
	}
	// Nothing else opens before the password is chosen.
	w.open(ctx, "/tickets", "#new_password")
	if got := navTools(t, ctx); len(got) != 0 {
		t.Errorf("tools %v offered before the password is chosen", got)
	}
	typeInto(t, ctx, "#new_password", newPassword)
	typeInto(t, ctx, "#confirm_password", newPassword)
	click(t, ctx, `main button[type="submit"]`, "nav a[data-tool]")
	shot(t, ctx, "first-page")

	if got, want := navTools(t, ctx), []string{"tickets", "messages", "tasks"}; !slices.Equal(got, want) {
		t.Errorf("nav tools = %v, want %v", got, want)
	}

	click(t, ctx, `nav a[data-tool="tickets"]`, "#subject")
	typeInto(t, ctx, "#subject", "The menu PDF is out of date")
	typeInto(t, ctx, "#body", "Please add the new sourdough loaf.\nThanks!")
	shot(t, ctx, "ticket-form")
	click(t, ctx, `form[action="/tickets"] button[type="submit"]`, "h1")
	shot(t, ctx, "ticket-submitted")
	w.open(ctx, "/tickets", "#your-tickets")
	if got := text(t, ctx, "#your-tickets + ul"); !strings.Contains(got, "The menu PDF is out of date") {
		t.Errorf("ticket list %q lacks the new ticket", got)
	}
	shot(t, ctx, "tickets")

	click(t, ctx, `nav a[data-tool="messages"]`, "#body")
	typeInto(t, ctx, "#body", "Looking forward to the new design!")
	click(t, ctx, `form[action="/messages"] button[type="submit"]`, "ol.thread li.mine")
	shot(t, ctx, "messages")
	if got := text(t, ctx, "ol.thread li.mine .body"); got != "Looking forward to the new design!" {
		t.Errorf("my message reads %q", got)
	}

	click(t, ctx, `nav a[data-tool="tasks"]`, "h1")
	shot(t, ctx, "tasks")
	do(t, ctx, "phone-sized window", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch))
	for _, p := range []string{"/tickets", "/messages", "/tasks"} {
		w.open(ctx, p, "nav a[data-tool]")
		shot(t, ctx, strings.TrimPrefix(p, "/")+"-mobile")
		assertFits(t, ctx, 390)
	}
	do(t, ctx, "desktop window", chromedp.EmulateViewport(1280, 900))
	brand, bar := text(t, ctx, ".topbar .brand-name"), topbarColour(t, ctx)

	w.open(ctx, "/invoices", ".error-page")
	shot(t, ctx, "invoices-404")
	if code := text(t, ctx, ".error-code"); code != "404" {
		t.Errorf("disabled tool: error code %q, want 404", code)
	}
	// The agency's brand of the portal, not a bare server page.
	if got := text(t, ctx, ".topbar .brand-name"); got != brand {
		t.Errorf("404 page brand %q, want the portal's %q", got, brand)
	}
	if got := topbarColour(t, ctx); got != bar {
		t.Errorf("404 page top bar %q, want the portal's %q", got, bar)
	}
	if got := navTools(t, ctx); slices.Contains(got, "invoices") {
		t.Errorf("404 page offers invoices: %v", got)
	}
}
