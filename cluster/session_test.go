package cluster

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"workrate/auth"
	"workrate/migrations/testdb"
	"workrate/operator"
	"workrate/workspace"
)

// seedAgency creates an agency with a workspace and an API key in the shared database.
func seedAgency(t *testing.T, db testdb.DB, slug string) (agencyID, workspaceID, key string) {
	t.Helper()
	ctx := context.Background()
	hash, err := auth.HashPassword("cluster-owner-pass", auth.DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	a, err := operator.CreateAgency(ctx, db.DB, "Cluster "+slug, slug, "owner@"+slug+".example", "Owner", hash)
	if err != nil {
		t.Fatal(err)
	}
	ws, err := workspace.NewStore(db.DB).CreateWorkspace(ctx, a.ID, workspace.Actor{Kind: workspace.ActorSystem, Name: "test"}, workspace.WorkspaceInput{Name: "Client " + slug})
	if err != nil {
		t.Fatal(err)
	}
	key, _, err = auth.NewStore(db.DB).CreateAPIKey(ctx, a.ID, "cluster", "")
	if err != nil {
		t.Fatal(err)
	}
	return a.ID, ws.ID, key
}

// visitor is one user agent with a cookie jar, talking to any instance with a
// fixed Host header (all instances listen on 127.0.0.1, so the jar is shared).
type visitor struct {
	t      *testing.T
	host   string
	client *http.Client
}

func newVisitor(t *testing.T, host string) *visitor {
	jar, _ := cookiejar.New(nil)
	return &visitor{t: t, host: host, client: &http.Client{
		Jar: jar, Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// send makes one request through instance in, with a form or a JSON body.
func (v *visitor) send(in *instance, method, path string, form url.Values, json, bearer string) (int, http.Header, string) {
	v.t.Helper()
	var body io.Reader
	switch {
	case form != nil:
		body = strings.NewReader(form.Encode())
	case json != "":
		body = strings.NewReader(json)
	}
	req, err := http.NewRequest(method, "http://"+in.addr+path, body)
	if err != nil {
		v.t.Fatal(err)
	}
	req.Host = v.host
	switch {
	case form != nil:
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	case json != "":
		req.Header.Set("Content-Type", "application/json")
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	resp, err := v.client.Do(req)
	if err != nil {
		return 0, nil, err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

// TestRevocationOnOneInstanceEndsTheSessionOnAnother: a client signs in through
// instance 2; the agency revokes access through instance 1's API; the client's
// very next request on instance 2 lands on the sign-in page, and so does a
// branding change reach instance 2 at once.
func TestRevocationOnOneInstanceEndsTheSessionOnAnother(t *testing.T) {
	db := database(t)
	i1 := start(t, db.URL)
	i2 := start(t, db.URL)
	_, wsID, key := seedAgency(t, db, "revoke")
	host := "revoke.localhost"
	api := newVisitor(t, host)
	if _, ok := eventually(3*time.Second, func() bool {
		code, _, _ := api.send(i1, http.MethodGet, "/api/v1/workspaces/"+wsID, nil, "", key)
		return code == http.StatusOK
	}); !ok {
		t.Fatal("agency not served by instance 1")
	}
	code, _, body := api.send(i1, http.MethodPut, "/api/v1/workspaces/"+wsID+"/portal", nil,
		`{"enabled":true,"login_email":"client@revoke.example","temporary_password":"first-temp-pass-42","tools":["dashboard","tickets"]}`, key)
	if code != http.StatusOK {
		t.Fatalf("enable portal via instance 1 = %d %s", code, body)
	}

	client := newVisitor(t, host)
	if code, h, _ := client.send(i2, http.MethodPost, "/login", url.Values{"email": {"client@revoke.example"}, "password": {"first-temp-pass-42"}}, "", ""); code != http.StatusSeeOther {
		t.Fatalf("client sign-in via instance 2 = %d (%v)", code, h)
	}
	if code, _, body := client.send(i2, http.MethodPost, "/password", url.Values{"new_password": {"client-own-pass-77"}, "confirm_password": {"client-own-pass-77"}}, "", ""); code != http.StatusSeeOther {
		t.Fatalf("password change via instance 2 = %d %.200s", code, body)
	}
	if code, _, body := client.send(i2, http.MethodGet, "/tickets", nil, "", ""); code != http.StatusOK {
		t.Fatalf("client tickets via instance 2 = %d %.200s", code, body)
	}
	// The session works on instance 1 too: sessions live in the database.
	if code, _, _ := client.send(i1, http.MethodGet, "/tickets", nil, "", ""); code != http.StatusOK {
		t.Fatalf("client tickets via instance 1 = %d", code)
	}

	// Branding through instance 1, seen by instance 2 within a second.
	if code, _, body := api.send(i1, http.MethodPut, "/api/v1/branding", nil, `{"platform_name":"Revoke Hub","primary_color":"#7c2d12"}`, key); code != http.StatusOK {
		t.Fatalf("branding via instance 1 = %d %s", code, body)
	}
	if d, ok := eventually(time.Second, func() bool {
		_, _, body := client.send(i2, http.MethodGet, "/tickets", nil, "", "")
		return strings.Contains(body, "Revoke Hub")
	}); !ok {
		t.Fatalf("branding change not on instance 2 after %v", d)
	}

	if code, _, body := api.send(i1, http.MethodPut, "/api/v1/workspaces/"+wsID+"/portal", nil, `{"enabled":false}`, key); code != http.StatusOK {
		t.Fatalf("revoke via instance 1 = %d %s", code, body)
	}
	code, h, _ := client.send(i2, http.MethodGet, "/tickets", nil, "", "")
	if code != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/login") {
		t.Fatalf("after revocation, instance 2 answered %d to %q; want a redirect to /login", code, h.Get("Location"))
	}
	if code, _, _ := client.send(i2, http.MethodPost, "/login", url.Values{"email": {"client@revoke.example"}, "password": {"client-own-pass-77"}}, "", ""); code == http.StatusSeeOther {
		t.Fatal("a revoked client signed in again")
	}
}

// TestKilledInstanceLeavesNoHalfWrittenRows: instance 1 is killed with SIGKILL
// while four clients create invoices (three lines each) and tickets through
// it; afterwards every invoice has all its lines and its total, and every
// ticket its activity — each multi-row change is one transaction.
func TestKilledInstanceLeavesNoHalfWrittenRows(t *testing.T) {
	db := database(t)
	i1 := start(t, db.URL)
	agencyID, wsID, key := seedAgency(t, db, "killed")
	api := newVisitor(t, "killed.localhost")
	if _, ok := eventually(3*time.Second, func() bool {
		code, _, _ := api.send(i1, http.MethodGet, "/api/v1/workspaces/"+wsID, nil, "", key)
		return code == http.StatusOK
	}); !ok {
		t.Fatal("agency not served")
	}
	var wg sync.WaitGroup
	var created atomic.Int64
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 500; i++ {
				inv := fmt.Sprintf(`{"number":"K-%d-%d","issued_on":"2026-11-01","due_on":"2026-11-30","currency":"EUR","status":"sent","lines":[`+
					`{"description":"a","quantity":1,"unit_price_cents":1000},{"description":"b","quantity":2.5,"unit_price_cents":400},{"description":"c","quantity":3,"unit_price_cents":7}]}`, w, i)
				code, _, _ := api.send(i1, http.MethodPost, "/api/v1/workspaces/"+wsID+"/invoices", nil, inv, key)
				if code == 0 {
					return // the instance is gone
				}
				if code == http.StatusCreated {
					created.Add(1)
				}
				if code, _, _ := api.send(i1, http.MethodPost, "/api/v1/workspaces/"+wsID+"/tickets", nil, fmt.Sprintf(`{"subject":"t %d-%d"}`, w, i), key); code == 0 {
					return
				}
			}
		}()
	}
	time.Sleep(1500 * time.Millisecond)
	_ = i1.cmd.Process.Kill()
	<-i1.done
	wg.Wait()
	ctx := context.Background()
	var invoices, badInvoices, tickets, ticketsWithoutActivity int
	if err := db.NewRaw("SELECT count(*) FROM invoices WHERE agency_id = ?", agencyID).Scan(ctx, &invoices); err != nil {
		t.Fatal(err)
	}
	if err := db.NewRaw(`SELECT count(*) FROM invoices i WHERE i.agency_id = ? AND (
		(SELECT count(*) FROM invoice_lines l WHERE l.invoice_id = i.id) <> 3 OR
		i.total_cents <> (SELECT COALESCE(sum(l.amount_cents), 0) FROM invoice_lines l WHERE l.invoice_id = i.id))`, agencyID).Scan(ctx, &badInvoices); err != nil {
		t.Fatal(err)
	}
	if err := db.NewRaw("SELECT count(*) FROM tickets WHERE agency_id = ?", agencyID).Scan(ctx, &tickets); err != nil {
		t.Fatal(err)
	}
	if err := db.NewRaw(`SELECT count(*) FROM tickets tk WHERE tk.agency_id = ? AND NOT EXISTS (
		SELECT 1 FROM activity a WHERE a.agency_id = tk.agency_id AND a.subject_id = tk.id)`, agencyID).Scan(ctx, &ticketsWithoutActivity); err != nil {
		t.Fatal(err)
	}
	t.Logf("killed after %d confirmed invoices; %d invoices and %d tickets stored", created.Load(), invoices, tickets)
	if invoices == 0 || int64(invoices) < created.Load() {
		t.Fatalf("%d invoices stored, %d were confirmed", invoices, created.Load())
	}
	if badInvoices > 0 {
		t.Errorf("%d invoices are half written (lines or total missing)", badInvoices)
	}
	if ticketsWithoutActivity > 0 {
		t.Errorf("%d tickets have no activity row", ticketsWithoutActivity)
	}
}
