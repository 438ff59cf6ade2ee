package attack_test

import (
	"regexp"
	"strings"
	"testing"

	"workrate/access"
	"workrate/auth"
	"workrate/branding"
	"workrate/migrations/testdb"
	"workrate/server/servertest"
	"workrate/workspace"
)

// Stored XSS payloads: a long one for text, a short one for names.
const (
	xssText = `<script>alert(1)</script> "><img src=x onerror=alert(1)> </textarea><script>alert(2)</script> ' onmouseover='alert(3)' javascript:alert(4) <a href="javascript:alert(5)">x</a>`
	xssName = `"><script>alert(1)</script>'x`
)

// live finds payload fragments that would run: raw tags, broken-out
// attributes, javascript: URLs in attributes.
var live = regexp.MustCompile(`(?i)<script>alert|<img src=x|</textarea><script|onmouseover='alert|(href|src|action)\s*=\s*["']?\s*javascript:`)

// seedXSS writes the payloads into every text a user can write in agency
// A and workspace A1; it returns the ticket and the task it made.
func seedXSS(t *testing.T, w *world, db testdb.DB) (*workspace.Ticket, *workspace.Task) {
	t.Helper()
	f := w.F
	ws := f.A1
	tk, err := f.Store.CreateTicket(ctx, ws.StaffScope(), ws.StaffActor(), workspace.TicketInput{Subject: xssName + " subject", Body: xssText})
	if err != nil {
		t.Fatal(err)
	}
	f.Comment(tk, xssText, false)
	f.Message(ws, xssText)
	f.Note(ws, xssText, false)
	task := f.Task(ws, xssName+" task")
	if _, err := f.Store.UpdateWorkspace(ctx, f.A.ID, ws.ID, ws.StaffActor(), workspace.WorkspaceInput{Name: xssName + " ws"}); err != nil {
		t.Fatal(err)
	}
	if err := w.Tenants.SetName(ctx, f.A.ID, xssName+" agency"); err != nil {
		t.Fatal(err)
	}
	if _, err := branding.NewStore(db.DB).SetText(ctx, f.A.ID, xssName+" hub", "#112233"); err != nil {
		t.Fatal(err)
	}
	hash, err := auth.HashPassword(staffPassword, auth.DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Accounts.CreateStaff(ctx, f.A.ID, "xss@agency-a.example", xssName+" staff", auth.RoleOwner, hash); err != nil {
		t.Fatal(err)
	}
	email := `x"><script>alert(1)</script>@example.com`
	if _, err := w.App.Access().Save(ctx, *f.A, f.A2.ID, access.Actor{Kind: access.ActorStaff, ID: f.StaffA.ID, Name: "Staff A"},
		access.Input{Enabled: true, LoginEmail: &email, TemporaryPassword: clientPassword}); err == nil {
		t.Log("an email with HTML was accepted as a login email; the staff pages must escape it")
	}
	return tk, task
}

// TestStoredXSSIsInert fills every text a user can write — ticket subjects
// and bodies, comments, messages, notes, task titles, workspace, agency and
// staff names, the white-label platform name — with HTML and script, and
// wants every page that shows them (portal, staff, operator) to show them as
// text: escaped in the raw HTML, the payload text still there.
func TestStoredXSSIsInert(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			w := newWorld(t, db)
			f := w.F
			ws := f.A1
			tk, task := seedXSS(t, w, db)
			w.Reload()

			staff := w.Browser()
			if r := staff.Post(hostA, "/staff/login", servertest.Values("email", "xss@agency-a.example", "password", staffPassword)); r.Status != 303 {
				t.Fatalf("staff A sign-in = %d", r.Status)
			}
			client := w.client(t, "A1")
			op := w.operator(t)
			wsPath := "/staff/workspaces/" + ws.ID
			pages := []struct {
				b          *servertest.Browser
				host, path string
			}{
				{w.Browser(), hostA, "/login"},
				{w.Browser(), hostA, "/no-such-page"},
				{client, hostA, "/"},
				{client, hostA, "/tickets"},
				{client, hostA, "/tickets/" + tk.ID},
				{client, hostA, "/messages"},
				{client, hostA, "/tasks"},
				{client, hostA, "/invoices"},
				{client, hostA, "/password"},
				{staff, hostA, "/staff/workspaces"},
				{staff, hostA, wsPath},
				{staff, hostA, wsPath + "/tickets"},
				{staff, hostA, wsPath + "/tickets/" + tk.ID},
				{staff, hostA, wsPath + "/messages"},
				{staff, hostA, wsPath + "/notes"},
				{staff, hostA, wsPath + "/tasks"},
				{staff, hostA, wsPath + "/tasks/" + task.ID},
				{staff, hostA, wsPath + "/activity"},
				{staff, hostA, wsPath + "/settings"},
				{staff, hostA, "/staff/workspaces/" + f.A2.ID + "/portal"},
				{staff, hostA, "/staff/settings"},
				{staff, hostA, "/staff/settings/team"},
				{staff, hostA, "/staff/settings/branding"},
				{staff, hostA, "/staff/account"},
				{op, platformHost, "/operator/agencies"},
				{op, platformHost, "/operator/domains"},
			}
			shown := 0
			for _, p := range pages {
				r := p.b.Get(p.host, p.path)
				if r.Status >= 500 {
					t.Errorf("%s = %d", p.path, r.Status)
				}
				if m := live.FindString(r.Body); m != "" {
					i := strings.Index(r.Body, m)
					t.Errorf("%s%s shows a live payload %q: …%s…", p.host, p.path, m, r.Body[max(0, i-80):min(len(r.Body), i+80)])
				}
				if strings.Contains(r.Body, "alert(1)") {
					shown++
				}
			}
			if shown < len(pages)-3 {
				t.Errorf("the payloads appear (escaped) on only %d of %d pages: the test would miss leaks", shown, len(pages))
			}
		})
	}
}
