package access

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"workrate/auth"
	"workrate/field"
	"workrate/migrations/testdb"
	"workrate/tenant"
	"workrate/workspace"
)

func ptr[T any](v T) *T { return &v }

// fieldOf returns the field and code of a *field.Error, or "" "".
func fieldOf(err error) (name, code string) {
	var fe *field.Error
	if errors.As(err, &fe) {
		return fe.Field, fe.Code
	}
	return "", ""
}

func TestCheckInput(t *testing.T) {
	bad := []struct {
		name        string
		in          Input
		field, code string
	}{
		{"email shape", Input{Enabled: true, LoginEmail: ptr("not an email")}, "login_email", field.InvalidEmail},
		{"unknown tool", Input{Tools: &[]string{"tickets", "notes"}}, "tools", field.InvalidChoice},
		{"two-factor mode", Input{TwoFactor: ptr("sometimes")}, "two_factor", field.InvalidChoice},
		{"short password", Input{Enabled: true, TemporaryPassword: "short"}, "temporary_password", field.PasswordTooShort},
		{"password while disabled", Input{TemporaryPassword: "a long enough password 7"}, "temporary_password", field.PasswordDisabled},
		{"generated while disabled", Input{GeneratePassword: true}, "temporary_password", field.PasswordDisabled},
	}
	for _, c := range bad {
		_, err := checkInput(c.in)
		if f, code := fieldOf(err); f != c.field || code != c.code {
			t.Errorf("%s: err = %v, want %s %s", c.name, err, c.field, c.code)
		}
	}
	ch, err := checkInput(Input{Enabled: true, LoginEmail: ptr(" Client@Bakery.Example "), Tools: &[]string{"invoices", "tickets", "invoices"}, GeneratePassword: true})
	if err != nil {
		t.Fatal(err)
	}
	if ch.email != "client@bakery.example" || workspace.FormatTools(ch.tools) != "tickets,invoices" || ch.password == "" || !ch.generated {
		t.Fatalf("change = %+v", ch)
	}
	if ch, err := checkInput(Input{Enabled: true, TemporaryPassword: "a long enough password 7"}); err != nil || ch.generated || ch.password != "a long enough password 7" {
		t.Fatalf("typed password: %+v, %v", ch, err)
	}
}

func TestCheckAgainst(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			ctx := context.Background()
			ag, err := tenant.NewStore(db.DB).CreateAgency(ctx, "Acme", "acme")
			if err != nil {
				t.Fatal(err)
			}
			as := auth.NewStore(db.DB)
			ws := func(name string) string {
				w, err := workspace.NewStore(db.DB).CreateWorkspace(ctx, ag.ID, workspace.Actor{Kind: workspace.ActorSystem}, workspace.WorkspaceInput{Name: name})
				if err != nil {
					t.Fatal(err)
				}
				return w.ID
			}
			taken := &auth.PortalAccount{AgencyID: ag.ID, WorkspaceID: ws("One"), LoginEmail: "taken@acme.example", Enabled: true}
			mine := &auth.PortalAccount{AgencyID: ag.ID, WorkspaceID: ws("Two"), LoginEmail: "mine@acme.example"}
			for _, a := range []*auth.PortalAccount{taken, mine} {
				if err := as.CreatePortalAccount(ctx, a); err != nil {
					t.Fatal(err)
				}
			}
			s := &Service{auth: as}
			cases := []struct {
				name        string
				current     *auth.PortalAccount
				ch          change
				field, code string
			}{
				{"no email for a new account", nil, change{in: Input{Enabled: true}, password: "x"}, "login_email", field.Required},
				{"email cleared", mine, change{in: Input{LoginEmail: ptr("")}}, "login_email", field.Required},
				{"enabling needs a password", mine, change{in: Input{Enabled: true}}, "temporary_password", field.PasswordRequired},
				{"email of another account", mine, change{in: Input{LoginEmail: ptr("taken@acme.example")}, email: "taken@acme.example"}, "login_email", field.EmailTaken},
				{"email of another account, new", nil, change{email: "taken@acme.example", password: "x", in: Input{Enabled: true}}, "login_email", field.EmailTaken},
				{"own email again", mine, change{email: "mine@acme.example"}, "", ""},
				{"already enabled keeps its password", taken, change{in: Input{Enabled: true}}, "", ""},
				{"a free email", mine, change{email: "free@acme.example"}, "", ""},
			}
			for _, c := range cases {
				err := s.checkAgainst(ctx, ag.ID, c.current, &c.ch)
				if f, code := fieldOf(err); f != c.field || code != c.code || c.field == "" && err != nil {
					t.Errorf("%s: err = %v, want %q %q", c.name, err, c.field, c.code)
				}
			}
		})
	}
}

// newEdit is an edit of a stored, enabled account.
func newEdit() *edit {
	return &edit{
		a:     &auth.PortalAccount{ID: "acc", LoginEmail: "old@acme.example", Enabled: true, Tools: "tickets"},
		actor: Actor{Kind: ActorStaff, ID: "st", Name: "Sam"}, now: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC),
		agencyID: "ag", workspaceID: "ws",
	}
}

// actions lists the actions and details of e's events.
func actions(e *edit) []string {
	var out []string
	for _, ev := range e.events {
		out = append(out, ev.Action+":"+ev.Detail)
	}
	return out
}

func TestEditSteps(t *testing.T) {
	t.Run("unchanged values change nothing", func(t *testing.T) {
		e := newEdit()
		e.setEmail("old@acme.example")
		e.setEnabled(true)
		e.setTools([]workspace.Tool{workspace.ToolTickets})
		if len(e.events) != 0 || len(e.cols) != 0 || e.end {
			t.Fatalf("edit = %+v", e)
		}
	})
	t.Run("email", func(t *testing.T) {
		e := newEdit()
		e.setEmail("new@acme.example")
		if e.a.LoginEmail != "new@acme.example" || !e.end || !slices.Equal(e.cols, []string{"login_email"}) ||
			!slices.Equal(actions(e), []string{"email_changed:old@acme.example → new@acme.example"}) {
			t.Fatalf("edit = %+v %v", e, actions(e))
		}
	})
	t.Run("revoke ends sessions, enabling does not", func(t *testing.T) {
		e := newEdit()
		e.setEnabled(false)
		if e.a.Enabled || !e.end || !slices.Equal(actions(e), []string{"disabled:"}) {
			t.Fatalf("revoke: %+v %v", e, actions(e))
		}
		e = newEdit()
		e.a.Enabled = false
		e.setEnabled(true)
		if !e.a.Enabled || e.end || !slices.Equal(actions(e), []string{"enabled:"}) {
			t.Fatalf("enable: %+v %v", e, actions(e))
		}
	})
	t.Run("tools keep sessions", func(t *testing.T) {
		e := newEdit()
		e.setTools([]workspace.Tool{workspace.ToolTickets, workspace.ToolInvoices})
		if e.a.Tools != "tickets,invoices" || e.end || !slices.Equal(e.cols, []string{"tools"}) ||
			!slices.Equal(actions(e), []string{"tools_changed:tickets → tickets, invoices"}) {
			t.Fatalf("edit = %+v %v", e, actions(e))
		}
		e = newEdit()
		e.a.Tools = ""
		e.setTools([]workspace.Tool{workspace.ToolTasks})
		if !slices.Equal(actions(e), []string{"tools_changed:— → tasks"}) {
			t.Fatalf("from none: %v", actions(e))
		}
	})
	t.Run("password", func(t *testing.T) {
		for _, c := range []struct {
			ch     change
			detail string
		}{
			{change{hash: "h1"}, "typed"},
			{change{hash: "h2", generated: true}, "generated"},
			{change{hash: "h3", in: Input{Permanent: true}}, "permanent"},
		} {
			e := newEdit()
			e.setPassword(&c.ch, time.Hour)
			a := e.a
			if a.PasswordHash != c.ch.hash || a.PasswordSetAt == nil || !a.PasswordSetAt.Equal(e.now) || !e.end ||
				!slices.Equal(actions(e), []string{"password_set:" + c.detail}) {
				t.Fatalf("%s: %+v %v", c.detail, a, actions(e))
			}
			temporary := c.detail != "permanent"
			if a.MustChangePassword != temporary || temporary != (a.PasswordExpiresAt != nil) ||
				temporary && !a.PasswordExpiresAt.Equal(e.now.Add(time.Hour)) {
				t.Fatalf("%s: must change %v, expires %v", c.detail, a.MustChangePassword, a.PasswordExpiresAt)
			}
		}
	})
	t.Run("events keep their order", func(t *testing.T) {
		e := newEdit()
		e.setEmail("new@acme.example")
		e.setTwoFactor(auth.TOTPRequired)
		if len(e.events) != 2 || !e.events[0].CreatedAt.Before(e.events[1].CreatedAt) || e.events[1].ActorName != "Sam" ||
			e.events[1].Detail != auth.TOTPRequired || e.a.TOTPMode != auth.TOTPRequired {
			t.Fatalf("events = %+v", e.events)
		}
	})
}
