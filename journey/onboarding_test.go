package journey

import (
	"strings"
	"testing"
)

// TestOwnerEnablesClientPortal: an agency owner signs in, creates a
// workspace, enables the client portal with a generated password and three
// tools, and copies the onboarding message, which holds everything the
// client needs: the login email, the password and the address.
func TestOwnerEnablesClientPortal(t *testing.T) {
	w := newWorld(t)
	w.shots = true
	w.ownerLogin()
	id := w.createWorkspace(workspaceName)
	onboarding, password := w.enablePortal(id, clientEmail, "tickets", "messages", "tasks")

	for _, want := range []string{clientEmail, password, "http://" + agencyHost + "/login", agencyName} {
		if !strings.Contains(onboarding, want) {
			t.Errorf("onboarding message lacks %q:\n%s", want, onboarding)
		}
	}
	if strings.Contains(onboarding, "WorkRate") {
		t.Errorf("onboarding message names the platform:\n%s", onboarding)
	}
	if got := text(t, w.owner, "#state-title + dl.facts"); !strings.Contains(got, clientEmail) {
		t.Errorf("state panel %q does not show the login email", got)
	}
	for _, tool := range []string{"tickets", "messages", "tasks"} {
		if !w.checked("#tool-" + tool) {
			t.Errorf("tool %s not checked after saving", tool)
		}
	}
	for _, tool := range []string{"dashboard", "invoices"} {
		if w.checked("#tool-" + tool) {
			t.Errorf("tool %s checked after saving", tool)
		}
	}
}
