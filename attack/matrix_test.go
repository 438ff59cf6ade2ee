package attack_test

import (
	"maps"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"workrate/fixture"
	"workrate/migrations/testdb"
	"workrate/server/servertest"
)

// routeCase says how to walk one route (method and gin path) in the matrix.
// Whether it names objects follows from its path (":param"); the surface
// from its prefix.
type routeCase struct {
	public bool     // open before sign-in (login pages, assets, brand files)
	form   []string // form fields in pairs or, for the API, one JSON body
}

func body(s string) []string { return []string{s} }

// routeCases holds every route of the app. A route added later without a
// case here fails TestIsolationMatrix: add one.
func routeCases() map[string]routeCase {
	all := map[string]routeCase{}
	for _, part := range []map[string]routeCase{portalRouteCases(), staffAccountRouteCases(), staffSettingsRouteCases(),
		staffWorkspaceRouteCases(), apiRouteCases(), operatorRouteCases()} {
		maps.Copy(all, part)
	}
	return all
}

// pub is the case of a route open before sign-in that takes no form.
var pub = routeCase{public: true}

// portalRouteCases are the routes of the client portal and what every host serves.
func portalRouteCases() map[string]routeCase {
	return map[string]routeCase{
		"GET /healthz":              pub,
		"GET /readyz":               pub,
		"GET /static/*file":         pub,
		"GET /brand/theme/:file":    pub,
		"GET /brand/logo/:file":     pub,
		"GET /brand/favicon/:file":  pub,
		"GET /brand/icon/:file":     pub,
		"POST /language":            {public: true, form: []string{"lang", "de", "next", "//evil.example/"}},
		"GET /login":                pub,
		"POST /login":               {public: true, form: []string{"email", "nobody@example.com", "password", "wrong-password"}},
		"POST /logout":              pub,
		"GET /":                     {},
		"GET /password":             {},
		"POST /password":            {form: []string{"current_password", "wrong-password", "new_password", "x", "confirm_password", "y"}},
		"GET /tickets":              {},
		"POST /tickets":             {form: []string{"subject", ""}},
		"GET /tickets/:id":          {},
		"POST /tickets/:id/replies": {form: []string{"body", "Hijacked"}},
		"GET /messages":             {},
		"POST /messages":            {form: []string{"body", ""}},
		"GET /tasks":                {},
		"GET /invoices":             {},
		"GET /invoices/:id":         {},
		// Two-factor sign-in: the code pages belong to a pending sign-in.
		"GET /login/code":          pub,
		"POST /login/code":         {public: true, form: []string{"code", "000000"}},
		"GET /two-factor":          {},
		"POST /two-factor/start":   {},
		"POST /two-factor/confirm": {form: []string{"code", "000000"}},
		"POST /two-factor/disable": {form: []string{"code", "000000"}},
	}
}

// staffAccountRouteCases are the routes of the back office's sign-in and account.
func staffAccountRouteCases() map[string]routeCase {
	return map[string]routeCase{
		"GET /staff/login":                       pub,
		"POST /staff/login":                      {public: true, form: []string{"email", "staff@agency-a.example", "password", "wrong-password"}},
		"GET /staff/login/choose":                pub,
		"POST /staff/login/choose":               {public: true, form: []string{"agency", ":agency"}},
		"POST /staff/logout":                     pub,
		"GET /staff":                             pub, // a fixed redirect to /staff/workspaces
		"GET /staff/account":                     {},
		"POST /staff/account":                    {form: []string{"name", "", "language", "en"}},
		"POST /staff/account/password":           {form: []string{"current_password", "wrong"}},
		"GET /staff/login/code":                  pub,
		"POST /staff/login/code":                 {public: true, form: []string{"code", "000000"}},
		"GET /staff/account/two-factor":          {},
		"POST /staff/account/two-factor/start":   {},
		"POST /staff/account/two-factor/confirm": {form: []string{"code", "000000"}},
		"POST /staff/account/two-factor/disable": {form: []string{"code", "000000"}},
		"POST /staff/settings/two-factor":        {form: []string{"require", "1"}},
	}
}

// staffSettingsRouteCases are the routes of the back office's agency settings.
func staffSettingsRouteCases() map[string]routeCase {
	return map[string]routeCase{
		"GET /staff/settings":                       {},
		"POST /staff/settings":                      {form: []string{"name", ""}},
		"POST /staff/settings/rates":                {form: []string{"service", ""}},
		"POST /staff/settings/rates/:id":            {form: []string{"service", "Hijacked", "hourly_rate", "1", "currency", "EUR"}},
		"POST /staff/settings/rates/:id/delete":     {},
		"GET /staff/settings/api-keys":              {},
		"POST /staff/settings/api-keys":             {form: []string{"label", ""}},
		"POST /staff/settings/api-keys/:id/revoke":  {},
		"GET /staff/settings/team":                  {},
		"POST /staff/settings/team":                 {form: []string{"email", "bad"}},
		"POST /staff/settings/team/:id/role":        {form: []string{"role", "member"}},
		"POST /staff/settings/team/:id/delete":      {},
		"GET /staff/settings/domains":               {},
		"POST /staff/settings/domains":              {form: []string{"hostname", ""}},
		"POST /staff/settings/domains/:host/check":  {},
		"POST /staff/settings/domains/:host/delete": {},
		"GET /staff/settings/branding":              {},
		"POST /staff/settings/branding":             {form: []string{"platform_name", "B Hub", "primary_color", "#123456"}},
		"POST /staff/settings/branding/logo":        {},
		"POST /staff/settings/branding/logo/delete": {},
		"POST /staff/settings/branding/reset":       {},
	}
}

// staffWorkspaceRouteCases are the routes of the back office's workspaces.
func staffWorkspaceRouteCases() map[string]routeCase {
	return map[string]routeCase{
		"GET /staff/workspaces":                                  {},
		"GET /staff/workspaces/new":                              {},
		"POST /staff/workspaces":                                 {form: []string{"name", ""}},
		"GET /staff/workspaces/:id":                              {},
		"GET /staff/workspaces/:id/settings":                     {},
		"POST /staff/workspaces/:id/settings":                    {form: []string{"name", "Hijacked"}},
		"GET /staff/workspaces/:id/tasks":                        {},
		"POST /staff/workspaces/:id/tasks":                       {form: []string{"title", "Hijacked"}},
		"GET /staff/workspaces/:id/tasks/:task_id":               {},
		"POST /staff/workspaces/:id/tasks/:task_id":              {form: []string{"title", "Hijacked", "status", "done"}},
		"POST /staff/workspaces/:id/tasks/:task_id/move":         {form: []string{"status", "done"}},
		"POST /staff/workspaces/:id/tasks/:task_id/delete":       {},
		"GET /staff/workspaces/:id/messages":                     {},
		"POST /staff/workspaces/:id/messages":                    {form: []string{"body", "Hijacked"}},
		"GET /staff/workspaces/:id/tickets":                      {},
		"GET /staff/workspaces/:id/tickets/new":                  {},
		"POST /staff/workspaces/:id/tickets":                     {form: []string{"subject", "Hijacked"}},
		"GET /staff/workspaces/:id/tickets/:ticket_id":           {},
		"POST /staff/workspaces/:id/tickets/:ticket_id":          {form: []string{"status", "closed", "priority", "low"}},
		"POST /staff/workspaces/:id/tickets/:ticket_id/comments": {form: []string{"body", "Hijacked"}},
		"GET /staff/workspaces/:id/invoices":                     {},
		"GET /staff/workspaces/:id/invoices/new":                 {},
		"POST /staff/workspaces/:id/invoices":                    {form: []string{"number", "H-1"}},
		"GET /staff/workspaces/:id/invoices/:invoice_id":         {},
		"POST /staff/workspaces/:id/invoices/:invoice_id":        {form: []string{"number", "H-1", "status", "void"}},
		"GET /staff/workspaces/:id/notes":                        {},
		"POST /staff/workspaces/:id/notes":                       {form: []string{"body", "Hijacked"}},
		"POST /staff/workspaces/:id/notes/:note_id":              {form: []string{"body", "Hijacked"}},
		"POST /staff/workspaces/:id/notes/:note_id/delete":       {},
		"GET /staff/workspaces/:id/activity":                     {},
		"GET /staff/workspaces/:id/portal":                       {},
		"POST /staff/workspaces/:id/portal":                      {form: []string{"action", "save", "enabled", "1", "login_email", "hijack@evil.example", "temporary_password", "hijacked-pass-42", "tools_sent", "1"}},
		"POST /staff/workspaces/:id/portal/preview":              {},
		"POST /staff/preview/end":                                {},
	}
}

// apiRouteCases are the routes of the JSON API.
func apiRouteCases() map[string]routeCase {
	return map[string]routeCase{
		"GET /api/v1/openapi.json":                                pub,
		"GET /api/v1/settings/rates":                              {},
		"PUT /api/v1/settings/rates":                              {form: body(`[]`)},
		"GET /api/v1/workspaces":                                  {},
		"POST /api/v1/workspaces":                                 {form: body(`{"name":"B's own"}`)},
		"GET /api/v1/workspaces/:id":                              {},
		"PATCH /api/v1/workspaces/:id":                            {form: body(`{"name":"Hijacked"}`)},
		"GET /api/v1/workspaces/:id/tasks":                        {},
		"POST /api/v1/workspaces/:id/tasks":                       {form: body(`{"title":"Hijacked"}`)},
		"PATCH /api/v1/workspaces/:id/tasks/:task_id":             {form: body(`{"status":"done"}`)},
		"GET /api/v1/workspaces/:id/messages":                     {},
		"POST /api/v1/workspaces/:id/messages":                    {form: body(`{"body":"Hijacked"}`)},
		"GET /api/v1/workspaces/:id/tickets":                      {},
		"POST /api/v1/workspaces/:id/tickets":                     {form: body(`{"subject":"Hijacked"}`)},
		"GET /api/v1/workspaces/:id/tickets/:ticket_id":           {},
		"PATCH /api/v1/workspaces/:id/tickets/:ticket_id":         {form: body(`{"status":"closed"}`)},
		"POST /api/v1/workspaces/:id/tickets/:ticket_id/comments": {form: body(`{"body":"Hijacked","internal":false}`)},
		"GET /api/v1/workspaces/:id/invoices":                     {},
		"POST /api/v1/workspaces/:id/invoices":                    {form: body(`{"number":"H-1","issued_on":"2026-01-01","due_on":"2026-01-02","currency":"EUR","lines":[{"description":"x","quantity":1,"unit_price_cents":1}]}`)},
		"GET /api/v1/workspaces/:id/invoices/:invoice_id":         {},
		"PATCH /api/v1/workspaces/:id/invoices/:invoice_id":       {form: body(`{"status":"void"}`)},
		"GET /api/v1/workspaces/:id/notes":                        {},
		"POST /api/v1/workspaces/:id/notes":                       {form: body(`{"body":"Hijacked"}`)},
		"GET /api/v1/workspaces/:id/portal":                       {},
		"PUT /api/v1/workspaces/:id/portal":                       {form: body(`{"enabled":true,"login_email":"hijack@evil.example","generate_password":true}`)},
		"GET /api/v1/workspaces/:id/portal/events":                {},
		"GET /api/v1/domains":                                     {},
		"POST /api/v1/domains":                                    {form: body(`{"hostname":""}`)},
		"GET /api/v1/domains/:hostname":                           {},
		"DELETE /api/v1/domains/:hostname":                        {},
		"GET /api/v1/branding":                                    {},
		"PUT /api/v1/branding":                                    {form: body(`{"platform_name":"B Hub"}`)},
		"DELETE /api/v1/branding":                                 {},
		"PUT /api/v1/branding/logo":                               {form: body(`not an image`)},
		"DELETE /api/v1/branding/logo":                            {},
	}
}

// operatorRouteCases are the routes of the operator console.
func operatorRouteCases() map[string]routeCase {
	return map[string]routeCase{
		"GET /operator/login":                    pub,
		"POST /operator/login":                   {public: true, form: []string{"email", operatorEmail, "password", "wrong-password"}},
		"POST /operator/logout":                  pub,
		"GET /operator":                          {},
		"GET /operator/agencies":                 {},
		"GET /operator/login/code":               {},
		"POST /operator/login/code":              {form: []string{"code", "000000"}},
		"GET /operator/two-factor":               {},
		"POST /operator/two-factor/start":        {},
		"POST /operator/two-factor/confirm":      {form: []string{"code", "000000"}},
		"POST /operator/two-factor/disable":      {form: []string{"code", "000000"}},
		"POST /operator/agencies":                {form: []string{"name", "Evil", "slug", "evil"}},
		"POST /operator/agencies/:id/suspend":    {},
		"POST /operator/agencies/:id/reactivate": {},
		"GET /operator/domains":                  {},
		"POST /operator/domains/:host/approve":   {},
		"POST /operator/domains/:host/check":     {},
		"POST /operator/domains/:host/remove":    {},
	}
}

// surfaceOf names the surface a path belongs to.
func surfaceOf(path string) string {
	switch {
	case strings.HasPrefix(path, "/api/"):
		return "api"
	case strings.HasPrefix(path, "/staff"):
		return "staff"
	case strings.HasPrefix(path, "/operator"):
		return "operator"
	}
	return "portal"
}

// role is one attacker (or the owner): where they send requests, how, and
// what they must never see.
type role struct {
	name      string
	host      string
	b         *servertest.Browser
	token     string             // bearer API key
	client    *fixture.Workspace // the portal client's own workspace
	cookie    *http.Cookie       // the session cookie, put back before each request
	staff     bool
	forbidden []string
}

// TestIsolationMatrix walks every route of the app as each role — the
// client of A1 (the owner), the client of A2, the client of agency B, B's
// staff member, B's API key and an anonymous visitor — with every id the
// attacker can learn or guess, and wants the specified status (404 for a
// foreign id, 401 for the API without its key, the sign-in page for pages
// without a session) and no foreign marker in any answer.
func TestIsolationMatrix(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			m := newMatrix(t, newWorld(t, db))
			cases := routeCases()
			seen := map[string]bool{}
			for _, rt := range m.w.App.Routes() {
				name := rt.Method + " " + rt.Path
				seen[name] = true
				c, ok := cases[name]
				if !ok {
					t.Errorf("route %s has no case: add one to routeCases", name)
					continue
				}
				m.checkRoute(t, routeUnder{method: rt.Method, path: rt.Path, c: c, surface: surfaceOf(rt.Path)})
			}
			for name := range cases {
				if !seen[name] {
					t.Errorf("case %s names no route: remove it", name)
				}
			}
		})
	}
}

// matrix is the world of TestIsolationMatrix with its roles.
type matrix struct {
	w             *world
	f             *fixture.Fixture
	roles         []*role
	anonForbidden []string
}

// newMatrix makes the roles, each signed in where it can be.
func newMatrix(t *testing.T, w *world) *matrix {
	f := w.F
	aPrivate := []string{"MARK-A-rate", "MARK-A-key"}
	anonForbidden := append(w.allMarkers(), "MARK-B-agency")
	anonForbidden = append(anonForbidden, aPrivate...)
	m := &matrix{w: w, f: f, anonForbidden: anonForbidden, roles: []*role{
		{name: "client A1", host: hostA, b: w.client(t, "A1"), client: f.A1, forbidden: append(f.MustNotSee(f.A1), aPrivate...)},
		{name: "client A2", host: hostA, b: w.client(t, "A2"), client: f.A2, forbidden: append(f.MustNotSee(f.A2), aPrivate...)},
		{name: "client B1", host: hostB, b: w.client(t, "B1"), client: f.B1, forbidden: f.MustNotSee(f.B1)},
		{name: "staff B", host: hostB, b: w.staffB(t), staff: true, forbidden: w.agencyMarkers(f.A)},
		{name: "API key B", host: hostB, b: w.Browser(), token: w.TokenB, forbidden: w.agencyMarkers(f.A)},
		{name: "anonymous", host: hostA, b: w.Browser(), forbidden: anonForbidden},
	}}
	for _, r := range m.roles {
		r.cookie = r.b.Cookie(r.host, "session")
	}
	return m
}

// routeUnder is the route being walked, with its case and surface.
type routeUnder struct {
	method, path string
	c            routeCase
	surface      string
}

// scoped reports whether the route names objects and needs a session.
func (rt routeUnder) scoped() bool { return strings.Contains(rt.path, "/:") && !rt.c.public }

// idsOf returns the ids of an object set (objs) under a workspace (ws), as
// path's parameters name them.
func (m *matrix) idsOf(path string, ws, objs *fixture.Workspace) map[string]string {
	w := m.w
	ids := map[string]string{"id": ws.ID, "task_id": objs.TaskID, "ticket_id": objs.TicketID,
		"invoice_id": objs.DraftInvoiceID, "note_id": objs.AgencyNoteID,
		"host": w.DomainA.Hostname, "hostname": w.DomainA.Hostname,
		"file": "0123456789abcdef.png", "*file": "app.css"}
	switch {
	case strings.HasPrefix(path, "/tickets/"):
		ids["id"] = objs.TicketID
	case strings.HasPrefix(path, "/invoices/"):
		ids["id"] = objs.SentInvoiceID
	case strings.HasPrefix(path, "/staff/settings/rates/"):
		ids["id"] = w.RateA.ID
	case strings.HasPrefix(path, "/staff/settings/api-keys/"):
		ids["id"] = w.KeyA.ID
	case strings.HasPrefix(path, "/staff/settings/team/"):
		ids["id"] = m.f.StaffA.ID
	case strings.HasPrefix(path, "/operator/"):
		ids["id"] = objs.Agency.ID
	case strings.HasPrefix(path, "/brand/theme/"):
		ids["file"] = "123456-ffffff.css"
	}
	return ids
}

// fill puts ids into a route path's parameters.
func fill(path string, ids map[string]string) string {
	parts := strings.Split(path, "/")
	for i, p := range parts {
		if strings.HasPrefix(p, ":") {
			parts[i] = ids[p[1:]]
		} else if strings.HasPrefix(p, "*") {
			parts[i] = ids[p]
		}
	}
	return strings.Join(parts, "/")
}

// send sends the route's request as r to host and path, with the case's form
// (or JSON body for the API).
func (m *matrix) send(r *role, rt routeUnder, host, path string) *servertest.Response {
	if r.cookie != nil {
		// A sign-in page clears the cookie of a session of another kind;
		// the attacker keeps it.
		r.b.SetCookie(host, r.cookie)
	}
	if rt.surface == "api" {
		b := ""
		if len(rt.c.form) == 1 {
			b = rt.c.form[0]
		}
		return r.b.JSON(rt.method, host, path, r.token, b)
	}
	form := url.Values{}
	for i := 0; i+1 < len(rt.c.form); i += 2 {
		v := rt.c.form[i+1]
		if v == ":agency" {
			v = m.f.A.ID
		}
		form.Set(rt.c.form[i], v)
	}
	if r.token != "" {
		r.b.Header.Set("Authorization", "Bearer "+r.token)
		defer r.b.Header.Del("Authorization")
	}
	if rt.method == http.MethodGet {
		return r.b.Get(host, path)
	}
	return r.b.Do(rt.method, host, path, strings.NewReader(form.Encode()), "application/x-www-form-urlencoded")
}

// checkRoute walks one route as every role.
func (m *matrix) checkRoute(t *testing.T, rt routeUnder) {
	t.Helper()
	name := rt.method + " " + rt.path
	for _, r := range m.roles {
		if rt.c.public {
			m.checkPublic(t, r, rt)
			continue
		}
		for _, a := range m.attempts(r, rt) {
			m.checkAttempt(t, r, rt, a)
		}
	}
	// The operator console on the platform host, without a session.
	if rt.surface == "operator" && !rt.c.public {
		anon := &role{name: "anonymous on the platform", b: m.w.Browser(), forbidden: m.anonForbidden}
		path := fill(rt.path, m.idsOf(rt.path, m.f.A1, m.f.A1))
		res := m.send(anon, rt, platformHost, path)
		leaks(t, anon.name+": "+name, res, m.anonForbidden)
		if res.Status != http.StatusSeeOther || !strings.HasPrefix(res.Location(), "/operator/login") {
			t.Errorf("anonymous %s %s on the platform = %d to %q, want the sign-in page", rt.method, path, res.Status, res.Location())
		}
	}
}

// checkPublic tries a public route as r: never a 5xx, never a leak.
func (m *matrix) checkPublic(t *testing.T, r *role, rt routeUnder) {
	t.Helper()
	// Sign-in forms and sign-outs are tried by the anonymous visitor only:
	// the others keep their session.
	if rt.method != http.MethodGet && r.name != "anonymous" {
		return
	}
	path := fill(rt.path, m.idsOf(rt.path, m.f.A1, m.f.A1))
	res := m.send(r, rt, r.host, path)
	if res.Status >= 500 {
		t.Errorf("%s: %s %s = %d", r.name, rt.method, path, res.Status)
	}
	leaks(t, r.name+": "+rt.method+" "+rt.path, res, r.forbidden)
}

// attempt is one path a role tries on a private route; own says whether it
// is the role's own data.
type attempt struct {
	label string
	path  string
	own   bool
}

// attempts lists the paths r tries on a private route: the route itself
// when it names nothing, else every id set r can learn or guess.
func (m *matrix) attempts(r *role, rt routeUnder) []attempt {
	f := m.f
	if !rt.scoped() {
		return []attempt{{"no ids", rt.path, r.client != nil || r.staff || r.token != ""}}
	}
	var tries []attempt
	own := fill(rt.path, m.idsOf(rt.path, f.B1, f.B1))
	tried := map[string]bool{}
	for _, v := range []struct {
		label    string
		ws, objs *fixture.Workspace
	}{{"A1's ids", f.A1, f.A1}, {"A2's ids", f.A2, f.A2}, {"B1 with A1's ids", f.B1, f.A1}, {"B1 with B2's ids", f.B1, f.B2}, {"B1's ids", f.B1, f.B1}} {
		p := fill(rt.path, m.idsOf(rt.path, v.ws, v.objs))
		mine := r.client != nil && v.objs == r.client && rt.surface == "portal"
		if (r.staff || r.token != "") && p == own || tried[p] {
			continue // B's own objects (the agency's own tests cover them), or tried
		}
		tried[p] = true
		tries = append(tries, attempt{v.label, p, mine})
	}
	if r.client == f.A1 && rt.path == "/invoices/:id" {
		tries = append(tries, attempt{"own draft invoice", "/invoices/" + f.A1.DraftInvoiceID, false})
	}
	return tries
}

// checkAttempt sends one attempt and wants the expected answer, without leaks.
func (m *matrix) checkAttempt(t *testing.T, r *role, rt routeUnder, a attempt) {
	t.Helper()
	res := m.send(r, rt, r.host, a.path)
	what := r.name + ": " + rt.method + " " + a.path + " (" + a.label + ")"
	leaks(t, what, res, r.forbidden)
	want, wantLoc := expected(r, rt.surface, a.own)
	switch {
	case want == 0:
		if res.Status >= 500 || (rt.method == http.MethodGet && rt.scoped() && res.Status != http.StatusOK) {
			t.Errorf("%s = %d, want success", what, res.Status)
		}
	case res.Status != want:
		t.Errorf("%s = %d, want %d: %.200s", what, res.Status, want, res.Body)
	case wantLoc != "" && !strings.HasPrefix(res.Location(), wantLoc):
		t.Errorf("%s redirects to %q, want %s…", what, res.Location(), wantLoc)
	}
}

// expected is the status (and redirect prefix) role must get on a private
// route of surface; status 0 means success (the caller's own data).
func expected(r *role, surface string, own bool) (int, string) {
	switch surface {
	case "operator":
		return http.StatusNotFound, "" // the console exists on the platform host only
	case "api":
		if r.token == "" {
			return http.StatusUnauthorized, ""
		}
	case "staff":
		if !r.staff {
			return http.StatusSeeOther, "/staff/login"
		}
	case "portal":
		if r.client == nil {
			return http.StatusSeeOther, "/login"
		}
	}
	if own {
		return 0, ""
	}
	return http.StatusNotFound, ""
}
