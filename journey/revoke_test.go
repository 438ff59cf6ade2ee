package journey

import (
	"strings"
	"testing"
)

// TestOwnerRevokesAccess: the owner unchecks "Enable client login" and
// saves; the client's very next click lands on the sign-in page, and signing
// in again fails. The client sees the same answer as for a wrong password
// (nothing tells a stranger that the account exists) and is pointed to the
// agency; the owner finds the reason, "Access disabled", in the section's
// list of sign-in attempts, as the product page's troubleshooting says.
func TestOwnerRevokesAccess(t *testing.T) {
	w := newWorld(t)
	ctx, temporary := w.client("tickets", "messages", "tasks")
	w.firstLogin(ctx, temporary)
	click(t, ctx, `nav a[data-tool="messages"]`, "#body")

	w.open(w.owner, "/staff/workspaces/"+w.wsID+"/portal", "#enabled")
	w.setChecked("#enabled", false)
	click(t, w.owner, `button[name="action"][value="save"]`, "#state-title")
	shot(t, w.owner, "staff-revoked")
	if got := text(t, w.owner, "#state-title + dl.facts .badge"); got != "Disabled" {
		t.Errorf("account state after revoking: %q", got)
	}

	click(t, ctx, `nav a[data-tool="tickets"]`, "#email")
	shot(t, ctx, "next-click")
	if got := path(t, ctx); !strings.HasPrefix(got, "/login") {
		t.Errorf("next click after revoking landed on %s", got)
	}
	typeInto(t, ctx, "#email", clientEmail)
	typeInto(t, ctx, "#password", newPassword)
	click(t, ctx, `main button[type="submit"]`, ".alert")
	shot(t, ctx, "login-refused")
	if got := text(t, ctx, ".alert"); got != "Invalid email or password." {
		t.Errorf("refused sign-in says %q", got)
	}
	if got := text(t, ctx, ".auth-box .small"); !strings.Contains(got, "contact "+agencyName) {
		t.Errorf("sign-in page does not point to the agency: %q", got)
	}
	if got := navTools(t, ctx); len(got) != 0 {
		t.Errorf("tools offered after revoking: %v", got)
	}

	w.open(w.owner, "/staff/workspaces/"+w.wsID+"/portal", "#attempts-title")
	shot(t, w.owner, "staff-attempts")
	if got := text(t, w.owner, "#attempts-title + .table-wrap tbody tr"); !strings.Contains(got, "Access disabled") {
		t.Errorf("latest attempt reads %q, want the reason Access disabled", got)
	}
}
