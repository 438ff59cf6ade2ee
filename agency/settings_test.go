package agency_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"workrate/migrations/testdb"
	"workrate/server/servertest"
)

func TestRolesGuardSettingsAndStaff(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			w := newWorld(t, db)
			browsers := map[string]*servertest.Browser{}
			for _, k := range []string{"A-owner", "A-admin", "A-member"} {
				browsers[k] = w.signIn(k, w.hostA)
			}
			cases := []struct {
				path                 string
				owner, admin, member int
			}{
				{path: "/staff/account", owner: 200, admin: 200, member: 200},
				{path: "/staff/settings", owner: 200, admin: 200, member: 404},
				{path: "/staff/settings/api-keys", owner: 200, admin: 200, member: 404},
				{path: "/staff/settings/team", owner: 200, admin: 404, member: 404},
			}
			for _, c := range cases {
				for key, want := range map[string]int{"A-owner": c.owner, "A-admin": c.admin, "A-member": c.member} {
					if r := browsers[key].Get(w.hostA, c.path); r.Status != want {
						t.Errorf("%s GET %s = %d, want %d", key, c.path, r.Status, want)
					}
				}
			}
			// Writes are guarded like reads.
			posts := []struct {
				path string
				form []string
			}{
				{"/staff/settings", []string{"name", "Hijack", "default_language", "en"}},
				{"/staff/settings/rates", []string{"service", "Design", "hourly_rate", "10", "currency", "EUR"}},
				{"/staff/settings/api-keys", []string{"label", "mine"}},
				{"/staff/settings/team", []string{"email", "x@acme.example", "role", "owner", "password", "long enough password 1"}},
			}
			for _, p := range posts {
				if r := browsers["A-member"].Post(w.hostA, p.path, servertest.Values(p.form...)); r.Status != http.StatusNotFound {
					t.Errorf("member POST %s = %d, want 404", p.path, r.Status)
				}
			}
			// The member's navigation offers only what they may open.
			r := browsers["A-member"].Get(w.hostA, "/staff/account")
			for _, href := range []string{`href="/staff/settings"`, `href="/staff/settings/team"`, `href="/staff/settings/api-keys"`} {
				if strings.Contains(r.Body, href) {
					t.Errorf("member nav links %s", href)
				}
			}
			if r := browsers["A-owner"].Get(w.hostA, "/staff/account"); !strings.Contains(r.Body, `href="/staff/settings/team"`) {
				t.Error("owner nav lacks Staff")
			}
		})
	}
}

func TestStaffManagement(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			w := newWorld(t, db)
			owner := w.signIn("A-owner", w.hostA)

			bad := []struct {
				name  string
				form  []string
				field string
				msg   string
			}{
				{"bad email", []string{"email", "not-an-email", "name", "X", "role", "member", "password", "long enough password 1"}, "email", "valid email address"},
				{"taken email", []string{"email", w.staff["A-member"].Email, "name", "X", "role", "member", "password", "long enough password 1"}, "email", "already exists"},
				{"unknown role", []string{"email", "new@acme.example", "name", "X", "role", "god", "password", "long enough password 1"}, "role", "choose one of the options"},
				{"short password", []string{"email", "new@acme.example", "name", "X", "role", "member", "password", "short"}, "password", "at least 10 characters"},
			}
			for _, c := range bad {
				t.Run(c.name, func(t *testing.T) {
					r := owner.Post(w.hostA, "/staff/settings/team", servertest.Values(c.form...))
					if r.Status < 400 || r.Status >= 500 || !strings.Contains(r.Body, c.msg) || !strings.Contains(r.Body, `id="`+c.field+`"`) {
						t.Fatalf("status %d, want the form again with %q: %.400s", r.Status, c.msg, r.Body)
					}
				})
			}

			r := owner.Post(w.hostA, "/staff/settings/team", servertest.Values("email", "New.Person@acme.example", "name", "New Person", "role", "admin", "password", "long enough password 1"))
			if r.Status != http.StatusSeeOther {
				t.Fatalf("add = %d: %.300s", r.Status, r.Body)
			}
			st, err := w.auth.StaffByEmail(context.Background(), w.A.ID, "new.person@acme.example")
			if err != nil || st.Role != "admin" || st.Name != "New Person" {
				t.Fatalf("added staff = %+v, %v", st, err)
			}
			newcomer := w.env.Browser()
			if r := newcomer.Post(w.hostA, "/staff/login", servertest.Values("email", "new.person@acme.example", "password", "long enough password 1")); r.Status != http.StatusSeeOther {
				t.Fatalf("newcomer sign-in = %d", r.Status)
			}

			// The last owner can be neither demoted nor removed.
			me := w.staff["A-owner"].ID
			for _, p := range []struct{ path, role string }{{"/staff/settings/team/" + me + "/role", "member"}, {"/staff/settings/team/" + me + "/delete", ""}} {
				r := owner.Post(w.hostA, p.path, servertest.Values("role", p.role))
				if r.Status != http.StatusConflict || !strings.Contains(r.Body, "at least one owner") {
					t.Fatalf("POST %s = %d", p.path, r.Status)
				}
			}
			// Promote the newcomer; then demoting oneself works.
			if r := owner.Post(w.hostA, "/staff/settings/team/"+st.ID+"/role", servertest.Values("role", "owner")); r.Status != http.StatusSeeOther {
				t.Fatalf("promote = %d", r.Status)
			}
			// Removing signs the removed member out at once.
			if r := owner.Post(w.hostA, "/staff/settings/team/"+st.ID+"/delete", nil); r.Status != http.StatusSeeOther {
				t.Fatalf("remove = %d", r.Status)
			}
			if r := newcomer.Get(w.hostA, "/staff/account"); r.Status != http.StatusSeeOther {
				t.Fatalf("removed member still in: %d", r.Status)
			}
			// Staff of another agency, or junk ids, are not found.
			for _, id := range []string{w.staff["B-member"].ID, "junk", "0190c5a2-0000-7000-8000-000000000000"} {
				if r := owner.Post(w.hostA, "/staff/settings/team/"+id+"/delete", nil); r.Status != http.StatusNotFound {
					t.Errorf("remove %s = %d", id, r.Status)
				}
				if r := owner.Post(w.hostA, "/staff/settings/team/"+id+"/role", servertest.Values("role", "member")); r.Status != http.StatusNotFound {
					t.Errorf("role of %s = %d", id, r.Status)
				}
			}
			if _, err := w.auth.StaffByID(context.Background(), w.B.ID, w.staff["B-member"].ID); err != nil {
				t.Fatalf("B's member was touched: %v", err)
			}
		})
	}
}

func TestChangeOwnPasswordAndLanguage(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			w := newWorld(t, db)
			b := w.signIn("A-member", w.hostA)
			other := w.signIn("A-member", w.hostA)
			bad := []struct {
				name, current, next, confirm, msg string
			}{
				{"wrong current", "nope nope nope", "brand new password 9", "brand new password 9", "not your current password"},
				{"mismatch", pw, "brand new password 9", "brand new password 8", "do not match"},
				{"too short", pw, "short", "short", "at least 10"},
			}
			for _, c := range bad {
				r := b.Post(w.hostA, "/staff/account/password", servertest.Values("current_password", c.current, "new_password", c.next, "confirm_password", c.confirm))
				if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, c.msg) {
					t.Errorf("%s: %d, want 422 with %q: %s", c.name, r.Status, c.msg, r.Body)
				}
			}
			r := b.Post(w.hostA, "/staff/account/password", servertest.Values("current_password", pw, "new_password", "brand new password 9", "confirm_password", "brand new password 9"))
			if r.Status != http.StatusSeeOther {
				t.Fatalf("change = %d: %.300s", r.Status, r.Body)
			}
			if r := b.Get(w.hostA, "/staff/account"); r.Status != http.StatusOK {
				t.Fatalf("this browser was signed out: %d", r.Status)
			}
			if r := other.Get(w.hostA, "/staff/account"); r.Status != http.StatusSeeOther {
				t.Fatalf("other session survived the password change: %d", r.Status)
			}
			email := w.staff["A-member"].Email
			if r := w.env.Browser().Post(w.hostA, "/staff/login", servertest.Values("email", email, "password", pw)); r.Status != http.StatusUnauthorized {
				t.Errorf("old password = %d", r.Status)
			}
			if r := w.env.Browser().Post(w.hostA, "/staff/login", servertest.Values("email", email, "password", "brand new password 9")); r.Status != http.StatusSeeOther {
				t.Errorf("new password = %d", r.Status)
			}

			// Language preference: saved on the account, applied on every page.
			if r := b.Post(w.hostA, "/staff/account", servertest.Values("name", "Mia Member", "language", "xx")); r.Status != http.StatusUnprocessableEntity {
				t.Errorf("unknown language = %d", r.Status)
			}
			if r := b.Post(w.hostA, "/staff/account", servertest.Values("name", "", "language", "de")); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "fill in this field") {
				t.Errorf("empty name = %d", r.Status)
			}
			if r := b.Post(w.hostA, "/staff/account", servertest.Values("name", "Mia Member", "language", "de")); r.Status != http.StatusSeeOther {
				t.Fatalf("save profile = %d", r.Status)
			}
			r = b.Get(w.hostA, "/staff/account")
			if !strings.Contains(r.Body, `lang="de"`) || !strings.Contains(r.Body, "Mein Konto") || !strings.Contains(r.Body, "Mia Member") {
				t.Errorf("saved language not applied: %.300s", r.Body)
			}
		})
	}
}

func TestAgencySettingsAndRatesPages(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			w := newWorld(t, db)
			ctx := context.Background()
			b := w.signIn("A-admin", w.hostA)

			if r := b.Post(w.hostA, "/staff/settings", servertest.Values("name", "", "default_language", "en")); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "fill in this field") {
				t.Errorf("empty agency name = %d", r.Status)
			}
			if r := b.Post(w.hostA, "/staff/settings", servertest.Values("name", "Acme Creative", "default_language", "fr")); r.Status != http.StatusSeeOther {
				t.Fatalf("save settings = %d", r.Status)
			}
			if a, _ := w.tenant.AgencyByID(ctx, w.A.ID); a.Name != "Acme Creative" || a.DefaultLanguage != "fr" {
				t.Fatalf("agency = %+v", a)
			}
			// The new default applies at once to staff without a language of their own.
			if r := b.Get(w.hostA, "/staff/settings"); !strings.Contains(r.Body, `lang="fr"`) || !strings.Contains(r.Body, "Acme Creative") {
				t.Fatalf("default language not applied: %.300s", r.Body)
			}
			b.Post(w.hostA, "/staff/settings", servertest.Values("name", "Acme Creative", "default_language", "en"))

			bad := []struct {
				name string
				form []string
				msg  string
			}{
				{"no service", []string{"service", " ", "hourly_rate", "95", "currency", "EUR"}, "fill in this field"},
				{"negative", []string{"service", "Design", "hourly_rate", "-5", "currency", "EUR"}, "not negative"},
				{"not a number", []string{"service", "Design", "hourly_rate", "lots", "currency", "EUR"}, "not negative"},
				{"bad currency", []string{"service", "Design", "hourly_rate", "95", "currency", "EURO"}, "three-letter currency code"},
			}
			for _, c := range bad {
				r := b.Post(w.hostA, "/staff/settings/rates", servertest.Values(c.form...))
				if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, c.msg) {
					t.Errorf("%s: %d, want 422 with %q: %s", c.name, r.Status, c.msg, r.Body)
				}
			}
			if r := b.Post(w.hostA, "/staff/settings/rates", servertest.Values("service", "Design", "hourly_rate", "95.50", "currency", "eur")); r.Status != http.StatusSeeOther {
				t.Fatalf("add rate = %d", r.Status)
			}
			if r := b.Post(w.hostA, "/staff/settings/rates", servertest.Values("service", "design", "hourly_rate", "80", "currency", "EUR")); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "already has a rate") {
				t.Errorf("duplicate service = %d", r.Status)
			}
			rates, err := w.tenant.Rates(ctx, w.A.ID)
			if err != nil || len(rates) != 1 || rates[0].HourlyRateCents != 9550 || rates[0].Currency != "EUR" {
				t.Fatalf("rates = %+v, %v", rates, err)
			}
			id := rates[0].ID
			if r := b.Get(w.hostA, "/staff/settings"); !strings.Contains(r.Body, "95.50") || !strings.Contains(r.Body, "Design") {
				t.Errorf("settings page lacks the rate")
			}
			if r := b.Post(w.hostA, "/staff/settings/rates/"+id, servertest.Values("service", "Design", "hourly_rate", "1,200", "currency", "USD")); r.Status != http.StatusSeeOther {
				t.Fatalf("edit rate = %d", r.Status)
			}
			if rates, _ := w.tenant.Rates(ctx, w.A.ID); rates[0].HourlyRateCents != 120000 || rates[0].Currency != "USD" {
				t.Fatalf("edited rate = %+v", rates[0])
			}
			// Another agency's staff cannot touch it.
			bb := w.signIn("B-owner", w.hostB)
			for _, p := range []string{"/staff/settings/rates/" + id, "/staff/settings/rates/" + id + "/delete"} {
				if r := bb.Post(w.hostB, p, servertest.Values("service", "X", "hourly_rate", "1", "currency", "EUR")); r.Status != http.StatusNotFound {
					t.Errorf("B POST %s = %d", p, r.Status)
				}
			}
			if r := b.Post(w.hostA, "/staff/settings/rates/"+id+"/delete", nil); r.Status != http.StatusSeeOther {
				t.Fatalf("delete = %d", r.Status)
			}
			if rates, _ := w.tenant.Rates(ctx, w.A.ID); len(rates) != 0 {
				t.Fatalf("rate not deleted: %+v", rates)
			}
		})
	}
}

func TestAPIKeysPage(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			w := newWorld(t, db)
			b := w.signIn("A-owner", w.hostA)
			if r := b.Post(w.hostA, "/staff/settings/api-keys", servertest.Values("label", "")); r.Status != http.StatusUnprocessableEntity {
				t.Errorf("empty label = %d", r.Status)
			}
			r := b.Post(w.hostA, "/staff/settings/api-keys", servertest.Values("label", "Billing sync"))
			if r.Status != http.StatusOK {
				t.Fatalf("create = %d", r.Status)
			}
			i := strings.Index(r.Body, `value="wrk_`)
			if i < 0 {
				t.Fatalf("new key not shown: %.500s", r.Body)
			}
			key := r.Body[i+len(`value="`):]
			key = key[:strings.IndexByte(key, '"')]
			if r.Header.Get("Cache-Control") != "no-store" {
				t.Error("page with the key may be cached")
			}
			// Shown once: the list shows only its prefix.
			list := b.Get(w.hostA, "/staff/settings/api-keys")
			if strings.Contains(list.Body, key) || !strings.Contains(list.Body, "Billing sync") || !strings.Contains(list.Body, key[:10]) {
				t.Fatalf("list shows the key or lacks it")
			}
			if r := b.JSON("GET", w.hostA, "/api/v1/settings/rates", key, ""); r.Status != http.StatusOK {
				t.Fatalf("new key refused: %d", r.Status)
			}
			keys, _ := w.auth.APIKeys(context.Background(), w.A.ID)
			if len(keys) != 1 || keys[0].LastUsedAt == nil {
				t.Fatalf("last use not recorded: %+v", keys)
			}
			if r := w.signIn("B-owner", w.hostB).Post(w.hostB, "/staff/settings/api-keys/"+keys[0].ID+"/revoke", nil); r.Status != http.StatusNotFound {
				t.Errorf("B revokes A's key: %d", r.Status)
			}
			if r := b.Post(w.hostA, "/staff/settings/api-keys/"+keys[0].ID+"/revoke", nil); r.Status != http.StatusSeeOther {
				t.Fatalf("revoke = %d", r.Status)
			}
			if r := b.JSON("GET", w.hostA, "/api/v1/settings/rates", key, ""); r.Status != http.StatusUnauthorized {
				t.Fatalf("revoked key works: %d", r.Status)
			}
		})
	}
}
