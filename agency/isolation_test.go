package agency_test

import (
	"context"
	"maps"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"workrate/auth"
	"workrate/fixture"
	"workrate/migrations/testdb"
	"workrate/server/servertest"
	"workrate/tenant"
	"workrate/workspace"
)

// How a route is walked by TestAgencyIsolation.
const (
	scoped  = "scoped"  // names an object: with agency A's ids, agency B gets 404
	listing = "listing" // names no object: B gets B's data and nothing of A's
	public  = "public"  // before sign-in: nothing of A's
)

// isolationCase says how to walk one route (method and gin path).
type isolationCase struct {
	kind string
	form []string // form fields or, for the API, a JSON body
}

// isolationCases holds every staff and API route. A route added later
// without a case here makes TestAgencyIsolation fail: add one.
func isolationCases() map[string]isolationCase {
	all := map[string]isolationCase{}
	for _, part := range []map[string]isolationCase{staffAccountCases(), staffAgencyCases(), apiWorkspaceCases(), domainAndBrandingCases()} {
		maps.Copy(all, part)
	}
	return all
}

// jsonBody is the form of an API case: its one JSON body.
func jsonBody(s string) []string { return []string{s} }

// staffAccountCases are the routes of the back office's sign-in and account.
func staffAccountCases() map[string]isolationCase {
	return map[string]isolationCase{
		"GET /staff":                             {kind: listing},
		"GET /staff/login":                       {kind: public},
		"POST /staff/login":                      {kind: public, form: []string{"email", "staff@agency-a.example", "password", "x"}},
		"GET /staff/login/choose":                {kind: public},
		"POST /staff/login/choose":               {kind: public, form: []string{"agency", ":agency"}},
		"POST /staff/logout":                     {kind: public},
		"GET /staff/account":                     {kind: listing},
		"POST /staff/account":                    {kind: listing, form: []string{"name", "", "language", "en"}},
		"POST /staff/account/password":           {kind: listing, form: []string{"current_password", "wrong"}},
		"GET /staff/login/code":                  {kind: listing},
		"POST /staff/login/code":                 {kind: listing, form: []string{"code", "000000"}},
		"GET /staff/account/two-factor":          {kind: listing},
		"POST /staff/account/two-factor/start":   {kind: listing},
		"POST /staff/account/two-factor/confirm": {kind: listing, form: []string{"code", "000000"}},
		"POST /staff/account/two-factor/disable": {kind: listing, form: []string{"code", "000000"}},
		"POST /staff/settings/two-factor":        {kind: listing},
	}
}

// staffAgencyCases are the routes of the back office's settings and workspaces.
func staffAgencyCases() map[string]isolationCase {
	return map[string]isolationCase{
		"GET /staff/settings":                                    {kind: listing},
		"POST /staff/settings":                                   {kind: listing, form: []string{"name", ""}},
		"POST /staff/settings/rates":                             {kind: listing, form: []string{"service", ""}},
		"POST /staff/settings/rates/:id":                         {kind: scoped, form: []string{"service", "Hijacked", "hourly_rate", "1", "currency", "EUR"}},
		"POST /staff/settings/rates/:id/delete":                  {kind: scoped},
		"GET /staff/settings/api-keys":                           {kind: listing},
		"POST /staff/settings/api-keys":                          {kind: listing, form: []string{"label", ""}},
		"POST /staff/settings/api-keys/:id/revoke":               {kind: scoped},
		"GET /staff/settings/team":                               {kind: listing},
		"POST /staff/settings/team":                              {kind: listing, form: []string{"email", "bad"}},
		"POST /staff/settings/team/:id/role":                     {kind: scoped, form: []string{"role", "member"}},
		"POST /staff/settings/team/:id/delete":                   {kind: scoped},
		"GET /staff/workspaces":                                  {kind: listing},
		"GET /staff/workspaces/new":                              {kind: listing},
		"POST /staff/workspaces":                                 {kind: listing, form: []string{"name", ""}},
		"GET /staff/workspaces/:id":                              {kind: scoped},
		"GET /staff/workspaces/:id/settings":                     {kind: scoped},
		"POST /staff/workspaces/:id/settings":                    {kind: scoped, form: []string{"name", "Hijacked"}},
		"GET /staff/workspaces/:id/tasks":                        {kind: scoped},
		"POST /staff/workspaces/:id/tasks":                       {kind: scoped, form: []string{"title", "Hijacked"}},
		"GET /staff/workspaces/:id/tasks/:task_id":               {kind: scoped},
		"POST /staff/workspaces/:id/tasks/:task_id":              {kind: scoped, form: []string{"title", "Hijacked", "status", "done"}},
		"POST /staff/workspaces/:id/tasks/:task_id/move":         {kind: scoped, form: []string{"status", "done"}},
		"POST /staff/workspaces/:id/tasks/:task_id/delete":       {kind: scoped},
		"GET /staff/workspaces/:id/messages":                     {kind: scoped},
		"POST /staff/workspaces/:id/messages":                    {kind: scoped, form: []string{"body", "Hijacked"}},
		"GET /staff/workspaces/:id/tickets":                      {kind: scoped},
		"GET /staff/workspaces/:id/tickets/new":                  {kind: scoped},
		"POST /staff/workspaces/:id/tickets":                     {kind: scoped, form: []string{"subject", "Hijacked"}},
		"GET /staff/workspaces/:id/tickets/:ticket_id":           {kind: scoped},
		"POST /staff/workspaces/:id/tickets/:ticket_id":          {kind: scoped, form: []string{"status", "closed", "priority", "low"}},
		"POST /staff/workspaces/:id/tickets/:ticket_id/comments": {kind: scoped, form: []string{"body", "Hijacked"}},
		"GET /staff/workspaces/:id/invoices":                     {kind: scoped},
		"GET /staff/workspaces/:id/invoices/new":                 {kind: scoped},
		"POST /staff/workspaces/:id/invoices":                    {kind: scoped, form: []string{"number", "H-1"}},
		"GET /staff/workspaces/:id/invoices/:invoice_id":         {kind: scoped},
		"POST /staff/workspaces/:id/invoices/:invoice_id":        {kind: scoped, form: []string{"number", "H-1", "status", "void"}},
		"GET /staff/workspaces/:id/notes":                        {kind: scoped},
		"POST /staff/workspaces/:id/notes":                       {kind: scoped, form: []string{"body", "Hijacked"}},
		"POST /staff/workspaces/:id/notes/:note_id":              {kind: scoped, form: []string{"body", "Hijacked"}},
		"POST /staff/workspaces/:id/notes/:note_id/delete":       {kind: scoped},
		"GET /staff/workspaces/:id/activity":                     {kind: scoped},
		"GET /staff/workspaces/:id/portal":                       {kind: scoped},
		"POST /staff/workspaces/:id/portal":                      {kind: scoped, form: []string{"action", "save", "enabled", "1", "login_email", "hijack@evil.example", "temporary_password", "hijacked-pass-42", "tools_sent", "1"}},
		"POST /staff/workspaces/:id/portal/preview":              {kind: scoped},
		"POST /staff/preview/end":                                {kind: listing},
		"GET /staff/settings/branding":                           {kind: listing},
		"POST /staff/settings/branding":                          {kind: listing, form: []string{"platform_name", "B Hub", "primary_color", "#123456"}},
		"POST /staff/settings/branding/logo":                     {kind: listing},
		"POST /staff/settings/branding/logo/delete":              {kind: listing},
		"POST /staff/settings/branding/reset":                    {kind: listing},
	}
}

// apiWorkspaceCases are the routes of the API's settings and workspaces.
func apiWorkspaceCases() map[string]isolationCase {
	return map[string]isolationCase{
		"GET /api/v1/openapi.json":                                {kind: public},
		"GET /api/v1/settings/rates":                              {kind: listing},
		"PUT /api/v1/settings/rates":                              {kind: listing, form: jsonBody(`[]`)},
		"GET /api/v1/workspaces":                                  {kind: listing},
		"POST /api/v1/workspaces":                                 {kind: listing, form: jsonBody(`{"name":"B's own"}`)},
		"GET /api/v1/workspaces/:id":                              {kind: scoped},
		"PATCH /api/v1/workspaces/:id":                            {kind: scoped, form: jsonBody(`{"name":"Hijacked"}`)},
		"GET /api/v1/workspaces/:id/tasks":                        {kind: scoped},
		"POST /api/v1/workspaces/:id/tasks":                       {kind: scoped, form: jsonBody(`{"title":"Hijacked"}`)},
		"PATCH /api/v1/workspaces/:id/tasks/:task_id":             {kind: scoped, form: jsonBody(`{"status":"done"}`)},
		"GET /api/v1/workspaces/:id/messages":                     {kind: scoped},
		"POST /api/v1/workspaces/:id/messages":                    {kind: scoped, form: jsonBody(`{"body":"Hijacked"}`)},
		"GET /api/v1/workspaces/:id/tickets":                      {kind: scoped},
		"POST /api/v1/workspaces/:id/tickets":                     {kind: scoped, form: jsonBody(`{"subject":"Hijacked"}`)},
		"GET /api/v1/workspaces/:id/tickets/:ticket_id":           {kind: scoped},
		"PATCH /api/v1/workspaces/:id/tickets/:ticket_id":         {kind: scoped, form: jsonBody(`{"status":"closed"}`)},
		"POST /api/v1/workspaces/:id/tickets/:ticket_id/comments": {kind: scoped, form: jsonBody(`{"body":"Hijacked","internal":false}`)},
		"GET /api/v1/workspaces/:id/invoices":                     {kind: scoped},
		"POST /api/v1/workspaces/:id/invoices":                    {kind: scoped, form: jsonBody(`{"number":"H-1","issued_on":"2026-01-01","due_on":"2026-01-02","currency":"EUR","lines":[{"description":"x","quantity":1,"unit_price_cents":1}]}`)},
		"GET /api/v1/workspaces/:id/invoices/:invoice_id":         {kind: scoped},
		"PATCH /api/v1/workspaces/:id/invoices/:invoice_id":       {kind: scoped, form: jsonBody(`{"status":"void"}`)},
		"GET /api/v1/workspaces/:id/notes":                        {kind: scoped},
		"POST /api/v1/workspaces/:id/notes":                       {kind: scoped, form: jsonBody(`{"body":"Hijacked"}`)},
		"GET /api/v1/workspaces/:id/portal":                       {kind: scoped},
		"PUT /api/v1/workspaces/:id/portal":                       {kind: scoped, form: jsonBody(`{"enabled":true,"login_email":"hijack@evil.example","generate_password":true}`)},
		"GET /api/v1/workspaces/:id/portal/events":                {kind: scoped},
	}
}

// domainAndBrandingCases are the routes of custom domains and branding, in the back office and the API.
func domainAndBrandingCases() map[string]isolationCase {
	return map[string]isolationCase{
		"GET /staff/settings/domains":               {kind: listing},
		"POST /staff/settings/domains":              {kind: listing, form: []string{"hostname", ""}},
		"POST /staff/settings/domains/:host/check":  {kind: scoped},
		"POST /staff/settings/domains/:host/delete": {kind: scoped},
		"GET /api/v1/domains":                       {kind: listing},
		"POST /api/v1/domains":                      {kind: listing, form: jsonBody(`{"hostname":""}`)},
		"GET /api/v1/domains/:hostname":             {kind: scoped},
		"DELETE /api/v1/domains/:hostname":          {kind: scoped},
		"GET /api/v1/branding":                      {kind: listing},
		"PUT /api/v1/branding":                      {kind: listing, form: jsonBody(`{"platform_name":"B Hub"}`)},
		"DELETE /api/v1/branding":                   {kind: listing},
		"PUT /api/v1/branding/logo":                 {kind: listing, form: jsonBody(`not an image`)},
		"DELETE /api/v1/branding/logo":              {kind: listing},
	}
}

// TestAgencyIsolation walks every staff and API route as agency B (staff
// session and API key) with the ids of agency A's objects — and with B's own
// workspace around A's objects — and wants 404 with nothing of A's in the
// answer; routes without ids must show B only what is B's.
func TestAgencyIsolation(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			iw := newIsolationWorld(t, db)
			cases := isolationCases()
			seen := map[string]bool{}
			walked := 0
			for _, rt := range iw.env.App.Routes() {
				if !strings.HasPrefix(rt.Path, "/staff") && !strings.HasPrefix(rt.Path, "/api/") {
					continue
				}
				name := rt.Method + " " + rt.Path
				seen[name] = true
				c, ok := cases[name]
				if !ok {
					t.Errorf("route %s has no isolation case: add one to isolationCases", name)
					continue
				}
				walked++
				iw.checkRoute(t, rt.Method, rt.Path, c)
			}
			for name := range cases {
				if !seen[name] {
					t.Errorf("isolation case %s names no route: remove it", name)
				}
			}
			if walked < 60 {
				t.Errorf("walked only %d routes", walked)
			}
			iw.checkOwnLists(t)
			iw.checkANotChanged(t, db)
		})
	}
}

// isolationWorld is the fixture of TestAgencyIsolation: A's objects, and
// agency B signed in (staff session and API key) on B's host.
type isolationWorld struct {
	f        *fixture.Fixture
	env      *servertest.Env
	accounts *auth.Store
	tenants  *tenant.Store
	rateA    *tenant.Rate
	domainA  *tenant.Domain
	keyA     *auth.APIKey
	tokenB   string
	hostB    string
	staffB   *servertest.Browser
}

// newIsolationWorld builds the fixture with a rate, a domain and an API key
// of A's, and signs B's staff member in.
func newIsolationWorld(t *testing.T, db testdb.DB) *isolationWorld {
	ctx := context.Background()
	iw := &isolationWorld{f: fixture.New(t, db.DB), accounts: auth.NewStore(db.DB), tenants: tenant.NewStore(db.DB), hostB: "agency-b.localhost"}
	f := iw.f
	hash, err := auth.HashPassword(pw, cheap)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := iw.accounts.SetStaffPassword(ctx, f.B.ID, f.StaffB.ID, hash); err != nil {
		t.Fatal(err)
	}
	if iw.rateA, err = iw.tenants.AddRate(ctx, f.A.ID, tenant.RateInput{Service: "MARK-A-rate", HourlyRateCents: 100, Currency: "EUR"}); err != nil {
		t.Fatal(err)
	}
	if iw.domainA, err = iw.tenants.AddDomain(ctx, f.A.ID, "portal.mark-a.example"); err != nil {
		t.Fatal(err)
	}
	if _, iw.keyA, err = iw.accounts.CreateAPIKey(ctx, f.A.ID, "MARK-A-key", f.StaffA.ID); err != nil {
		t.Fatal(err)
	}
	if iw.tokenB, _, err = iw.accounts.CreateAPIKey(ctx, f.B.ID, "B key", f.StaffB.ID); err != nil {
		t.Fatal(err)
	}
	iw.env = servertest.New(t, db)
	iw.staffB = iw.signIn(t)
	return iw
}

// signIn returns a browser signed in as B's staff member.
func (iw *isolationWorld) signIn(t *testing.T) *servertest.Browser {
	b := iw.env.Browser()
	if r := b.Post(iw.hostB, "/staff/login", servertest.Values("email", iw.f.StaffB.Email, "password", pw)); r.Status != http.StatusSeeOther {
		t.Fatalf("B sign-in = %d", r.Status)
	}
	return b
}

// idsOf returns agency A's ids for each parameter, by the route's prefix.
func (iw *isolationWorld) idsOf(path string, ws, other *fixture.Workspace) map[string]string {
	ids := map[string]string{"id": ws.ID, "task_id": other.TaskID, "ticket_id": other.TicketID,
		"invoice_id": other.DraftInvoiceID, "note_id": other.AgencyNoteID,
		"host": iw.domainA.Hostname, "hostname": iw.domainA.Hostname}
	switch {
	case strings.HasPrefix(path, "/staff/settings/rates/"):
		ids["id"] = iw.rateA.ID
	case strings.HasPrefix(path, "/staff/settings/api-keys/"):
		ids["id"] = iw.keyA.ID
	case strings.HasPrefix(path, "/staff/settings/team/"):
		ids["id"] = iw.f.StaffA.ID
	}
	return ids
}

// fillIDs puts ids into a route path's parameters.
func fillIDs(path string, ids map[string]string) string {
	parts := strings.Split(path, "/")
	for i, p := range parts {
		if strings.HasPrefix(p, ":") {
			parts[i] = ids[p[1:]]
		}
	}
	return strings.Join(parts, "/")
}

// leaksA reports whether an answer shows anything of agency A's.
func leaksA(body string) bool { return strings.Contains(body, "MARK-A") }

// send sends the route's request as b to path on B's host, with the case's
// form (or JSON body and B's key for the API).
func (iw *isolationWorld) send(b *servertest.Browser, method, path string, c isolationCase) *servertest.Response {
	if strings.HasPrefix(path, "/api/") {
		body := ""
		if len(c.form) == 1 {
			body = c.form[0]
		}
		return b.JSON(method, iw.hostB, path, iw.tokenB, body)
	}
	form := url.Values{}
	for i := 0; i+1 < len(c.form); i += 2 {
		v := c.form[i+1]
		if v == ":agency" {
			v = iw.f.A.ID
		}
		form.Set(c.form[i], v)
	}
	if method == http.MethodGet {
		return b.Get(iw.hostB, path)
	}
	return b.Post(iw.hostB, path, form)
}

// checkRoute walks one route as its case says.
func (iw *isolationWorld) checkRoute(t *testing.T, method, path string, c isolationCase) {
	t.Helper()
	switch c.kind {
	case scoped:
		iw.checkScoped(t, method, path, c)
	case listing:
		r := iw.send(iw.staffB, method, path, c)
		if r.Status >= 500 || leaksA(r.Body) {
			t.Errorf("%s %s = %d, shows A's data or fails: %.300s", method, path, r.Status, r.Body)
		}
	case public:
		r := iw.send(iw.env.Browser(), method, path, c)
		if r.Status >= 500 || leaksA(r.Body) {
			t.Errorf("%s %s = %d, shows A's data or fails", method, path, r.Status)
		}
	}
}

// checkScoped tries a route that names objects with A's workspace and
// objects, and with B's own workspaces around A's objects (another agency)
// and B2's (another workspace): 404 without A's data every time.
func (iw *isolationWorld) checkScoped(t *testing.T, method, route string, c isolationCase) {
	t.Helper()
	f := iw.f
	tried := map[string]bool{}
	for _, v := range []struct {
		label     string
		ws, other *fixture.Workspace
	}{{"A's ids", f.A1, f.A1}, {"B1 with A's ids", f.B1, f.A1}, {"B1 with B2's ids", f.B1, f.B2}} {
		path := fillIDs(route, iw.idsOf(route, v.ws, v.other))
		if tried[path] || path == fillIDs(route, iw.idsOf(route, f.B1, f.B1)) && strings.Contains(route, "/workspaces/:id") {
			continue // already tried, or B's own workspace with no object id under it
		}
		tried[path] = true
		r := iw.send(iw.staffB, method, path, c)
		if r.Status != http.StatusNotFound || leaksA(r.Body) {
			t.Errorf("%s %s (%s) = %d, want 404 without A's data: %.200s", method, path, v.label, r.Status, r.Body)
		}
		if strings.HasPrefix(route, "/api/") {
			apiErrorOf(t, r)
		}
	}
}

// checkOwnLists wants B's lists to show B's data.
func (iw *isolationWorld) checkOwnLists(t *testing.T) {
	t.Helper()
	for _, p := range []string{"/staff/workspaces", "/api/v1/workspaces"} {
		r := iw.signIn(t).Get(iw.hostB, p)
		if strings.HasPrefix(p, "/api/") {
			r = iw.env.Browser().JSON("GET", iw.hostB, p, iw.tokenB, "")
		}
		if !strings.Contains(r.Body, "MARK-B1") || leaksA(r.Body) {
			t.Errorf("B's %s lacks B1 or shows A: %.300s", p, r.Body)
		}
	}
}

// checkANotChanged wants nothing of A's changed by the walk.
func (iw *isolationWorld) checkANotChanged(t *testing.T, db testdb.DB) {
	t.Helper()
	ctx, f, tenants, accounts := context.Background(), iw.f, iw.tenants, iw.accounts
	w := workspace.NewStore(db.DB)
	sc := f.A1.StaffScope()
	if tk, err := w.Task(ctx, sc, f.A1.TaskID); err != nil || tk.Status != workspace.TaskReview || strings.Contains(tk.Title, "Hijacked") {
		t.Errorf("A1's task changed: %+v %v", tk, err)
	}
	if tk, err := w.Ticket(ctx, sc, f.A1.TicketID); err != nil || tk.Status != workspace.TicketOpen {
		t.Errorf("A1's ticket changed: %+v %v", tk, err)
	}
	if inv, err := w.Invoice(ctx, sc, f.A1.DraftInvoiceID); err != nil || inv.Status != workspace.InvoiceDraft {
		t.Errorf("A1's invoice changed: %+v %v", inv, err)
	}
	if n, err := w.Note(ctx, sc, f.A1.AgencyNoteID); err != nil || strings.Contains(n.Body, "Hijacked") {
		t.Errorf("A1's note changed: %v", err)
	}
	if ws, err := w.Workspace(ctx, f.A.ID, f.A1.ID); err != nil || strings.Contains(ws.Name, "Hijacked") {
		t.Errorf("A1 changed: %v", err)
	}
	if d, err := tenants.Domain(ctx, f.A.ID, iw.domainA.Hostname); err != nil || d.Status != tenant.DomainPending {
		t.Errorf("A's domain changed: %+v %v", d, err)
	}
	if rs, _ := tenants.Rates(ctx, f.A.ID); len(rs) != 1 || rs[0].Service != "MARK-A-rate" {
		t.Errorf("A's rates changed: %+v", rs)
	}
	if st, err := accounts.StaffByID(ctx, f.A.ID, f.StaffA.ID); err != nil || st.Role != auth.RoleOwner {
		t.Errorf("A's staff changed: %v", err)
	}
	if ks, _ := accounts.APIKeys(ctx, f.A.ID); len(ks) != 1 || ks[0].RevokedAt != nil {
		t.Errorf("A's key changed: %+v", ks)
	}
	for key, ws := range map[string]*fixture.Workspace{"A1": f.A1, "A2": f.A2} {
		msgs, _ := w.Messages(ctx, ws.StaffScope(), workspace.ListOptions{})
		for _, m := range msgs.Items {
			if strings.Contains(m.Body, "Hijacked") {
				t.Errorf("a message was posted into %s", key)
			}
		}
	}
}
