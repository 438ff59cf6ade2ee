package attack_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"workrate/fixture"
	"workrate/migrations/testdb"
	"workrate/server/servertest"
)

// TestCrossSiteRequestsRefused sends every state-changing route of the app,
// with a live session of the right kind and the caller's own ids (so that
// without the protection it would act), from another site — marked by
// Sec-Fetch-Site, or by a foreign Origin alone for older browsers — and
// wants 403 and nothing changed.
func TestCrossSiteRequestsRefused(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			w := newWorld(t, db)
			f := w.F
			sessions := map[string]struct {
				host   string
				cookie *http.Cookie
			}{
				"portal":   {hostA, w.client(t, "A1").Cookie(hostA, "session")},
				"staff":    {hostB, w.staffB(t).Cookie(hostB, "session")},
				"operator": {platformHost, w.operator(t).Cookie(platformHost, "session")},
				"api":      {hostB, nil},
			}
			ids := map[string]string{"id": f.A1.TicketID, "task_id": f.B1.TaskID, "ticket_id": f.B1.TicketID,
				"invoice_id": f.B1.DraftInvoiceID, "note_id": f.B1.SharedNoteID, "host": "portal.mark-a.example", "hostname": "portal.mark-a.example"}
			cases := routeCases()
			walked := 0
			for _, rt := range w.App.Routes() {
				if rt.Method == http.MethodGet || rt.Path == "/healthz" || rt.Path == "/readyz" {
					continue
				}
				surface := surfaceOf(rt.Path)
				s := sessions[surface]
				path := csrfPath(rt.Path, ids, f)
				form := url.Values{}
				c := cases[rt.Method+" "+rt.Path]
				for i := 0; i+1 < len(c.form); i += 2 {
					form.Set(c.form[i], strings.ReplaceAll(c.form[i+1], "Hijacked", "CSRF-MARK"))
				}
				for _, attack := range []struct {
					name, header, value string
				}{
					{"Sec-Fetch-Site: cross-site", "Sec-Fetch-Site", "cross-site"},
					{"Origin of another site", "Origin", "https://evil.example"},
					{"Origin of another agency", "Origin", "http://" + hostB},
				} {
					if attack.value == "http://"+s.host {
						continue
					}
					b := w.Browser()
					if s.cookie != nil {
						b.SetCookie(s.host, s.cookie)
					}
					b.Header.Set(attack.header, attack.value)
					var r *servertest.Response
					if surface == "api" {
						body := "{}"
						if len(c.form) == 1 {
							body = strings.ReplaceAll(c.form[0], "Hijacked", "CSRF-MARK")
						}
						r = b.JSON(rt.Method, s.host, path, w.TokenB, body)
					} else {
						r = b.Do(rt.Method, s.host, path, strings.NewReader(form.Encode()), "application/x-www-form-urlencoded")
					}
					walked++
					if r.Status != http.StatusForbidden {
						t.Errorf("%s %s with %s = %d, want 403", rt.Method, path, attack.name, r.Status)
					}
				}
			}
			if walked < 150 {
				t.Errorf("walked only %d cross-site requests", walked)
			}
			checkNothingMarked(t, w)

			// The same requests from the page's own origin go through.
			b := w.Browser()
			b.SetCookie(hostA, sessions["portal"].cookie)
			b.Header.Set("Sec-Fetch-Site", "same-origin")
			b.Header.Set("Origin", "http://"+hostA)
			if r := b.Post(hostA, "/messages", servertest.Values("body", "same-site message")); r.Status != http.StatusSeeOther {
				t.Errorf("same-origin post = %d, want 303", r.Status)
			}
		})
	}
}

// csrfPath fills route's parameters with the caller's own ids, so that
// without the protection the request would act.
func csrfPath(route string, ids map[string]string, f *fixture.Fixture) string {
	parts := strings.Split(route, "/")
	for i, p := range parts {
		if strings.HasPrefix(p, ":") {
			v := ids[p[1:]]
			if p == ":id" && strings.HasPrefix(route, "/staff/workspaces/") || p == ":id" && strings.HasPrefix(route, "/api/v1/workspaces/") {
				v = f.B1.ID
			} else if p == ":id" && strings.HasPrefix(route, "/operator/") {
				v = f.B.ID
			}
			parts[i] = v
		}
	}
	return strings.Join(parts, "/")
}

// checkNothingMarked wants no row written by a cross-site request.
func checkNothingMarked(t *testing.T, w *world) {
	t.Helper()
	for _, table := range []string{"messages", "tickets", "ticket_comments", "notes", "tasks", "workspaces"} {
		n, err := w.DB.NewSelect().Table(table).Count(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var marked int
		col := map[string]string{"messages": "body", "tickets": "subject", "ticket_comments": "body", "notes": "body", "tasks": "title", "workspaces": "name"}[table]
		if err := w.DB.NewSelect().Table(table).ColumnExpr("count(*)").Where("? LIKE '%CSRF-MARK%'", bunIdent(col)).Scan(ctx, &marked); err != nil {
			t.Fatal(err)
		}
		if marked > 0 {
			t.Errorf("a cross-site request wrote %d rows into %s (of %d)", marked, table, n)
		}
	}
}
