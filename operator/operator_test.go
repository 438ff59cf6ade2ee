package operator_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"workrate/auth"
	"workrate/migrations/testdb"
	"workrate/server/servertest"
	"workrate/tenant"
)

const opPassword = "operator-pass-2026"

func newOperator(t *testing.T, db testdb.DB, email string) {
	t.Helper()
	hash, err := auth.HashPassword(opPassword, auth.DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := auth.NewStore(db.DB).CreateOperator(context.Background(), email, hash); err != nil {
		t.Fatal(err)
	}
}

func signIn(t *testing.T, b *servertest.Browser) {
	t.Helper()
	r := b.Post("localhost", "/operator/login", servertest.Values("email", "ops@workrate.example", "password", opPassword, "next", "/operator/domains"))
	if r.Status != http.StatusSeeOther || r.Location() != "/operator/domains" {
		t.Fatalf("sign-in = %d to %q: %.300s", r.Status, r.Location(), r.Body)
	}
}

func TestOperatorConsole(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			ctx := context.Background()
			ts := tenant.NewStore(db.DB)
			acme, err := ts.CreateAgency(ctx, "Acme Studio", "acme")
			if err != nil {
				t.Fatal(err)
			}
			d, err := ts.AddDomain(ctx, acme.ID, "portal.acme.example")
			if err != nil {
				t.Fatal(err)
			}
			if err := ts.SetDomainStatus(ctx, d.ID, tenant.DomainVerified, "", tenant.VerifiedByOperator, nil); err != nil {
				t.Fatal(err)
			}
			pending, err := ts.AddDomain(ctx, acme.ID, "new.acme.example")
			if err != nil {
				t.Fatal(err)
			}
			newOperator(t, db, "ops@workrate.example")
			env := servertest.New(t, db)
			b := env.Browser()

			c := &console{ctx: ctx, db: db, ts: ts, acme: acme, pending: pending, env: env, b: b}
			t.Run("exists on the platform host only", c.platformOnly)
			t.Run("sign-in", c.signIn)
			t.Run("throttling", c.throttling)
			t.Run("agencies: create, suspend, reactivate", c.agencies)
			t.Run("domains: statuses, approve, check, remove", c.domains)
			t.Run("logout", c.logout)
		})
	}
}

// console is the shared state of TestOperatorConsole's steps.
type console struct {
	ctx     context.Context
	db      testdb.DB
	ts      *tenant.Store
	acme    *tenant.Agency
	pending *tenant.Domain
	env     *servertest.Env
	b       *servertest.Browser
}

// platformOnly: the console exists on the platform host only.
func (c *console) platformOnly(t *testing.T) {
	b := c.b
	for _, host := range []string{"acme.localhost", "portal.acme.example", "nobody.example"} {
		for _, path := range []string{"/operator/login", "/operator/agencies", "/operator/domains", "/operator"} {
			if r := b.Get(host, path); r.Status != http.StatusNotFound {
				t.Errorf("GET %s%s = %d, want 404", host, path, r.Status)
			}
		}
		r := b.Post(host, "/operator/login", servertest.Values("email", "ops@workrate.example", "password", opPassword))
		if r.Status != http.StatusNotFound || b.Cookie(host, "session") != nil {
			t.Errorf("POST %s/operator/login = %d", host, r.Status)
		}
	}
	if r := b.Get("localhost", "/operator/agencies"); r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location(), "/operator/login?next=") {
		t.Errorf("console without a session = %d to %q", r.Status, r.Location())
	}
}

// signIn checks the sign-in and that its session is bound to the platform host.
func (c *console) signIn(t *testing.T) {
	env, b := c.env, c.b
	r := b.Post("localhost", "/operator/login", servertest.Values("email", "ops@workrate.example", "password", "wrong-password-1"))
	if r.Status != http.StatusUnauthorized || !strings.Contains(r.Body, "not correct") {
		t.Errorf("wrong password = %d", r.Status)
	}
	r = b.Post("localhost", "/operator/login", servertest.Values("email", "nobody@workrate.example", "password", opPassword))
	if r.Status != http.StatusUnauthorized {
		t.Errorf("unknown email = %d", r.Status)
	}
	signIn(t, b)
	// The session is bound to the platform host: replayed elsewhere it opens nothing.
	other := env.Browser()
	other.SetCookie("acme.localhost", b.Cookie("localhost", "session"))
	if r := other.Get("acme.localhost", "/operator/agencies"); r.Status != http.StatusNotFound {
		t.Errorf("operator cookie on an agency host = %d", r.Status)
	}
	if r := b.Get("localhost", "/operator/login"); r.Status != http.StatusSeeOther {
		t.Errorf("login page when signed in = %d", r.Status)
	}
}

// throttling: failures on one account throttle its sign-in.
func (c *console) throttling(t *testing.T) {
	db, env := c.db, c.env
	newOperator(t, db, "target@workrate.example")
	x := env.Browser()
	for i := 0; i < auth.MaxPairFailures; i++ {
		x.Post("localhost", "/operator/login", servertest.Values("email", "target@workrate.example", "password", "wrong-password-x"))
	}
	r := x.Post("localhost", "/operator/login", servertest.Values("email", "target@workrate.example", "password", opPassword))
	if r.Status != http.StatusTooManyRequests || r.Header.Get("Retry-After") == "" {
		t.Errorf("after %d failures = %d (Retry-After %q), want 429", auth.MaxPairFailures, r.Status, r.Header.Get("Retry-After"))
	}
}

// agencies creates, suspends and reactivates agencies.
func (c *console) agencies(t *testing.T) {
	ctx, db, ts, acme, b := c.ctx, c.db, c.ts, c.acme, c.b
	r := b.Get("localhost", "/operator/agencies")
	if r.Status != http.StatusOK || !strings.Contains(r.Body, "Acme Studio") || !strings.Contains(r.Body, "acme.localhost") || !strings.Contains(r.Body, "portal.acme.example") {
		t.Fatalf("agencies page = %d %.500s", r.Status, r.Body)
	}
	bad := b.Post("localhost", "/operator/agencies", servertest.Values("name", "", "slug", "admin", "owner_email", "nope", "owner_password", "short"))
	if bad.Status != http.StatusUnprocessableEntity || strings.Count(bad.Body, `class="field-error"`) != 4 {
		t.Errorf("invalid agency = %d with %d field errors", bad.Status, strings.Count(bad.Body, `class="field-error"`))
	}
	taken := b.Post("localhost", "/operator/agencies", servertest.Values("name", "Again", "slug", "acme", "owner_email", "o@again.example", "owner_password", "a-good-long-password-1"))
	if taken.Status != http.StatusConflict || !strings.Contains(taken.Body, "already taken") {
		t.Errorf("taken slug = %d", taken.Status)
	}
	r = b.Post("localhost", "/operator/agencies", servertest.Values("name", "Northwind", "slug", "northwind", "owner_email", "Owner@Northwind.example", "owner_name", "Nora", "owner_password", "a-good-long-password-1"))
	if r.Status != http.StatusSeeOther {
		t.Fatalf("create agency = %d %.300s", r.Status, r.Body)
	}
	nw, err := ts.AgencyBySlug(ctx, "northwind")
	if err != nil {
		t.Fatal(err)
	}
	owner, err := auth.NewStore(db.DB).StaffByEmail(ctx, nw.ID, "owner@northwind.example")
	if err != nil || owner.Role != auth.RoleOwner {
		t.Fatalf("owner = %+v, %v", owner, err)
	}
	if r := b.Get("northwind.localhost", "/"); r.Status == http.StatusNotFound {
		t.Error("new agency not served at once")
	}

	// Suspending stops serving every host of the agency at once.
	if r := b.Get("portal.acme.example", "/"); r.Status == http.StatusNotFound {
		t.Fatal("custom domain not served before suspension")
	}
	if r := b.Post("localhost", "/operator/agencies/"+acme.ID+"/suspend", nil); r.Status != http.StatusSeeOther {
		t.Fatalf("suspend = %d", r.Status)
	}
	for _, host := range []string{"acme.localhost", "portal.acme.example"} {
		if r := b.Get(host, "/"); r.Status != http.StatusNotFound {
			t.Errorf("%s after suspension = %d, want 404", host, r.Status)
		}
	}
	if r := b.Get("localhost", "/operator/agencies?done=suspended"); !strings.Contains(r.Body, "was suspended") || !strings.Contains(r.Body, "Reactivate") {
		t.Error("agencies page does not show the suspension")
	}
	if r := b.Post("localhost", "/operator/agencies/"+acme.ID+"/reactivate", nil); r.Status != http.StatusSeeOther {
		t.Fatalf("reactivate = %d", r.Status)
	}
	for _, host := range []string{"acme.localhost", "portal.acme.example"} {
		if r := b.Get(host, "/"); r.Status == http.StatusNotFound {
			t.Errorf("%s after reactivation = 404", host)
		}
	}
	for _, id := range []string{"junk", "0190a5f2-0000-7000-8000-000000000000"} {
		if r := b.Post("localhost", "/operator/agencies/"+id+"/suspend", nil); r.Status != http.StatusNotFound {
			t.Errorf("suspend %s = %d, want 404", id, r.Status)
		}
	}
}

// domains shows statuses, approves, checks and removes domains.
func (c *console) domains(t *testing.T) {
	ctx, ts, pending, env, b := c.ctx, c.ts, c.pending, c.env, c.b
	exp := tenant.DNSDetail{CNAME: "old.example", Expected: "localhost", TXTOK: true}
	if err := ts.SetDomainStatus(ctx, pending.ID, tenant.DomainMisconfigured, exp.Encode(), "", nil); err != nil {
		t.Fatal(err)
	}
	if err := ts.SetCertStatus(ctx, "portal.acme.example", tenant.CertFailed, nil, "rateLimited: too many certificates already issued"); err != nil {
		t.Fatal(err)
	}
	r := b.Get("localhost", "/operator/domains")
	for _, want := range []string{"portal.acme.example", "new.acme.example", "Acme Studio", "Misconfigured", "new.acme.example resolves to old.example; expected a CNAME to localhost.",
		"Verified", "Failed", "too many certificates already issued"} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("domains page lacks %q", want)
		}
	}
	de := env.Browser()
	de.Header.Set("Accept-Language", "de")
	de.SetCookie("localhost", b.Cookie("localhost", "session"))
	if r := de.Get("localhost", "/operator/domains"); !strings.Contains(r.Body, "Falsch konfiguriert") || !strings.Contains(r.Body, "Zertifikat") {
		t.Errorf("German domains page: %.300s", r.Body)
	}

	if r := b.Post("localhost", "/operator/domains/new.acme.example/approve", nil); r.Status != http.StatusSeeOther {
		t.Fatalf("approve = %d", r.Status)
	}
	got, _ := ts.DomainByHostname(ctx, "new.acme.example")
	if got.Status != tenant.DomainVerified || got.VerifiedBy != tenant.VerifiedByOperator {
		t.Errorf("approved domain = %s by %s", got.Status, got.VerifiedBy)
	}
	if r := b.Get("new.acme.example", "/"); r.Status == http.StatusNotFound {
		t.Error("approved domain not served at once")
	}
	if r := b.Post("localhost", "/operator/domains/nothing.example/check", nil); r.Status != http.StatusNotFound {
		t.Errorf("check of an unknown domain = %d", r.Status)
	}
	if r := b.Post("localhost", "/operator/domains/new.acme.example/remove", nil); r.Status != http.StatusSeeOther {
		t.Fatalf("remove = %d", r.Status)
	}
	if r := b.Get("new.acme.example", "/"); r.Status != http.StatusNotFound {
		t.Errorf("removed domain still served: %d", r.Status)
	}
}

// logout ends the session.
func (c *console) logout(t *testing.T) {
	b := c.b
	if r := b.Post("localhost", "/operator/logout", nil); r.Status != http.StatusSeeOther {
		t.Fatalf("logout = %d", r.Status)
	}
	if r := b.Get("localhost", "/operator/domains"); r.Status != http.StatusSeeOther {
		t.Errorf("console after logout = %d", r.Status)
	}
}

// A disabled operator's sessions end at once and the right password no
// longer signs in (answered like a wrong one); enabled again, it does.
func TestDisabledOperator(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			ctx := context.Background()
			newOperator(t, db, "ops@workrate.example")
			env := servertest.New(t, db)
			b := env.Browser()
			signIn(t, b)
			as := auth.NewStore(db.DB)
			op, err := as.OperatorByEmail(ctx, "ops@workrate.example")
			if err != nil {
				t.Fatal(err)
			}
			if err := as.DisableOperator(ctx, op.ID); err != nil {
				t.Fatal(err)
			}
			if r := b.Get("localhost", "/operator/agencies"); r.Status != http.StatusSeeOther {
				t.Errorf("a disabled operator's session: %d, want the sign-in page", r.Status)
			}
			login := func() int {
				return env.Browser().Post("localhost", "/operator/login", servertest.Values("email", "ops@workrate.example", "password", opPassword)).Status
			}
			if s := login(); s != http.StatusUnauthorized {
				t.Errorf("a disabled operator signs in: %d, want 401", s)
			}
			if err := as.EnableOperator(ctx, op.ID); err != nil {
				t.Fatal(err)
			}
			if s := login(); s != http.StatusSeeOther {
				t.Errorf("enabled again: %d, want signed in", s)
			}
		})
	}
}
