package portal_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"workrate/auth"
	"workrate/branding"
	"workrate/migrations/testdb"
	"workrate/server/servertest"
	"workrate/tenant"
	"workrate/workspace"
)

func TestClientWritesTicketsRepliesAndMessages(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			s := newSite(t, db)
			s.grant(t, s.A, s.A1, "client@example.com", "temporary-pass-31", "dashboard", "tickets", "messages")
			b := s.signIn(t, acme, "client@example.com", "temporary-pass-31", "own-password-4242")
			ws := workspace.NewStore(db.DB)
			staffScope := workspace.StaffScope(s.A.ID, s.A1)

			r := b.Post(acme, "/tickets", servertest.Values("subject", "", "body", "x"))
			if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "Please fill in this field.") {
				t.Errorf("empty subject: %d", r.Status)
			}
			r = b.Post(acme, "/tickets", servertest.Values("subject", "Logo <b>bigger</b>", "body", "Line one\n<script>alert(1)</script>\nLine three", "priority", "high"))
			if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location(), "/tickets/") {
				t.Fatalf("new ticket: %d %s", r.Status, r.Location())
			}
			id := strings.TrimPrefix(r.Location(), "/tickets/")
			// Staff see it at once, marked as from the client.
			tk, err := ws.Ticket(ctx, staffScope, id)
			if err != nil || !tk.FromClient || tk.Priority != "high" || tk.AuthorName != "Bakery" {
				t.Fatalf("staff view of the new ticket: %+v %v", tk, err)
			}
			page := b.Get(acme, "/tickets/"+id)
			if strings.Contains(page.Body, "<script>alert") || strings.Contains(page.Body, "<b>bigger") ||
				!strings.Contains(page.Body, "Line one<br>&lt;script&gt;alert(1)&lt;/script&gt;<br>Line three") {
				t.Errorf("ticket body not shown as text with line breaks")
			}
			if !strings.Contains(page.Body, `name="body"`) || !strings.Contains(page.Body, `action="/tickets/`+id+`/replies"`) {
				t.Error("no reply form")
			}
			if r := b.Post(acme, "/tickets/"+id+"/replies", servertest.Values("body", "Any news?")); r.Status != http.StatusSeeOther {
				t.Errorf("reply: %d", r.Status)
			}
			if _, err := ws.AddComment(ctx, staffScope, workspace.Actor{Kind: "staff", Name: "Nora Winters"}, id, "INTERNAL-ONLY note", true); err != nil {
				t.Fatal(err)
			}
			if _, err := ws.AddComment(ctx, staffScope, workspace.Actor{Kind: "staff", Name: "Nora Winters"}, id, "Done, have a look", false); err != nil {
				t.Fatal(err)
			}
			page = b.Get(acme, "/tickets/"+id)
			for _, want := range []string{"Any news?", "Done, have a look", "Nora Winters"} {
				if !strings.Contains(page.Body, want) {
					t.Errorf("ticket page lacks %q", want)
				}
			}
			if strings.Contains(page.Body, "INTERNAL-ONLY") {
				t.Error("internal comment shown to the client")
			}
			list := b.Get(acme, "/tickets")
			if !strings.Contains(list.Body, "badge-open") || !strings.Contains(list.Body, "Logo &lt;b&gt;bigger&lt;/b&gt;") {
				t.Error("ticket list lacks the status badge or escapes badly")
			}

			if _, err := ws.PostMessage(ctx, staffScope, workspace.Actor{Kind: "staff", ID: "s1", Name: "Nora Winters"}, "Welcome!\nSee you soon"); err != nil {
				t.Fatal(err)
			}
			if r := b.Post(acme, "/messages", servertest.Values("body", "")); r.Status != http.StatusUnprocessableEntity {
				t.Errorf("empty message: %d", r.Status)
			}
			if r := b.Post(acme, "/messages", servertest.Values("body", "Thanks, <i>great</i>")); r.Status != http.StatusSeeOther {
				t.Errorf("message: %d", r.Status)
			}
			m := b.Get(acme, "/messages")
			for _, want := range []string{"Nora Winters", "Welcome!<br>See you soon", "Thanks, &lt;i&gt;great&lt;/i&gt;", `name="body"`} {
				if !strings.Contains(m.Body, want) {
					t.Errorf("messages page lacks %q", want)
				}
			}
			dash := b.Get(acme, "/")
			if !strings.Contains(dash.Body, "Logo &lt;b&gt;bigger&lt;/b&gt;") || !strings.Contains(dash.Body, "1 open request") {
				t.Errorf("dashboard lacks the open ticket and its count:\n%s", text(dash.Body))
			}
		})
	}
}

func TestPreviewIsReadOnly(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			s := newSite(t, db)
			s.grant(t, s.A, s.A1, "client@example.com", "temporary-pass-31", "dashboard", "tickets", "messages")
			as := auth.NewStore(db.DB)
			st, err := as.CreateStaff(ctx, s.A.ID, "nora@acme.example", "Nora Winters", auth.RoleAdmin, "!")
			if err != nil {
				t.Fatal(err)
			}
			tok, err := as.CreateSession(ctx, &auth.Session{Kind: auth.KindStaff, AgencyID: s.A.ID, SubjectID: st.ID, Host: acme,
				SessionVersion: st.SessionVersion, PreviewWorkspaceID: s.A1}, auth.SessionPolicy{Idle: time.Hour, Max: time.Hour})
			if err != nil {
				t.Fatal(err)
			}
			b := s.Browser()
			b.SetCookie(acme, &http.Cookie{Name: "session", Value: tok})
			home := b.Get(acme, "/")
			if home.Status != 200 || !strings.Contains(home.Body, "preview-banner") || !strings.Contains(home.Body, `data-tool="tickets"`) || strings.Contains(home.Body, `data-tool="invoices"`) {
				t.Fatalf("preview home: %d", home.Status)
			}
			if r := b.Get(acme, "/invoices"); r.Status != http.StatusNotFound {
				t.Errorf("preview of a disabled tool: %d", r.Status)
			}
			for _, w := range []struct{ path, field string }{{"/tickets", "subject"}, {"/messages", "body"}, {"/password", "new_password"}} {
				if r := b.Post(acme, w.path, servertest.Values(w.field, "from preview", "body", "from preview")); r.Status != http.StatusMethodNotAllowed {
					t.Errorf("preview POST %s: %d", w.path, r.Status)
				}
			}
			n, err := workspace.NewStore(db.DB).Messages(ctx, workspace.StaffScope(s.A.ID, s.A1), workspace.ListOptions{})
			if err != nil || len(n.Items) != 0 {
				t.Errorf("a preview wrote: %v %v", n.Items, err)
			}
			// A preview session on another agency's host is nobody.
			b.SetCookie(bravo, &http.Cookie{Name: "session", Value: tok})
			if r := b.Get(bravo, "/tickets"); r.Status != http.StatusSeeOther {
				t.Errorf("preview on bravo: %d", r.Status)
			}

			// The preview ends at the next request when the right to it goes:
			// the role becomes member, or the agency starts requiring
			// two-factor sign-in of staff who have not enrolled.
			previewing := func() bool {
				r := b.Get(acme, "/tickets")
				return r.Status == http.StatusOK && strings.Contains(r.Body, "preview-banner")
			}
			if err := as.SetStaffRole(ctx, s.A.ID, st.ID, auth.RoleMember); err != nil {
				t.Fatal(err)
			}
			if previewing() {
				t.Error("a member still previews")
			}
			if err := as.SetStaffRole(ctx, s.A.ID, st.ID, auth.RoleAdmin); err != nil {
				t.Fatal(err)
			}
			if !previewing() {
				t.Fatal("the admin again does not preview")
			}
			if err := tenant.NewStore(db.DB).SetRequireStaffTOTP(ctx, s.A.ID, true); err != nil {
				t.Fatal(err)
			}
			s.Reload()
			if previewing() {
				t.Error("a staff member without two-factor sign-in previews where the agency requires it")
			}
		})
	}
}

func TestWhiteLabelHidesPlatformName(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			s := newSite(t, db)
			if _, err := branding.NewStore(db.DB).SetText(ctx, s.A.ID, "Acme Client Hub", "#0f766e"); err != nil {
				t.Fatal(err)
			}
			s.Reload()
			s.grant(t, s.A, s.A1, "client@example.com", "temporary-pass-31", "dashboard", "tickets", "messages", "tasks", "invoices")
			b := s.Browser()
			pages := []string{"/login"}
			for _, p := range pages {
				if r := b.Get(acme, p); strings.Contains(r.Body, "WorkRate") || !strings.Contains(r.Body, "Acme Client Hub") {
					t.Errorf("%s shows the platform name or not the agency's", p)
				}
			}
			b = s.signIn(t, acme, "client@example.com", "temporary-pass-31", "own-password-4242")
			for _, p := range []string{"/", "/tickets", "/messages", "/tasks", "/invoices", "/password", "/nope"} {
				if r := b.Get(acme, p); strings.Contains(r.Body, "WorkRate") || !strings.Contains(r.Body, "Acme Client Hub") {
					t.Errorf("%s shows the platform name or not the agency's (%d)", p, r.Status)
				}
			}
			// On the platform host a signed-in client sees the agency's brand too.
			p := s.signIn(t, "localhost", "client@example.com", "own-password-4242", "")
			if r := p.Get("localhost", "/tickets"); r.Status != 200 || strings.Contains(r.Body, "WorkRate") || !strings.Contains(r.Body, "Acme Client Hub") {
				t.Errorf("platform host portal brand (%d)", r.Status)
			}
		})
	}
}
