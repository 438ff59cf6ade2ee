package main

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"

	"workrate/migrations/testdb"
	"workrate/tenant"
	"workrate/workspace"
)

// TestDemoFillsTheBackOfficeOnce runs `workrate demo` twice on both
// databases: the second run adds nothing, and the output names every login.
func TestDemoFillsTheBackOfficeOnce(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			ctx := context.Background()
			var out struct {
				Agency      string            `json:"agency"`
				Staff       map[string]string `json:"staff"`
				StaffLogins []demoLogin       `json:"staff_logins"`
			}
			for run := range 2 {
				var buf bytes.Buffer
				if err := run0(ctx, db.URL, &buf); err != nil {
					t.Fatalf("run %d: %v", run, err)
				}
				if err := json.Unmarshal(buf.Bytes(), &out); err != nil {
					t.Fatalf("output: %v\n%s", err, buf.String())
				}
			}
			if out.Agency != "Northwind Creative" || out.Staff["email"] != demoOwnerEmail || len(out.StaffLogins) != 3 {
				t.Fatalf("output = %+v", out)
			}
			a, err := tenant.NewStore(db.DB).AgencyBySlug(ctx, demoSlug)
			if err != nil {
				t.Fatal(err)
			}
			w := workspace.NewStore(db.DB)
			if n, _ := w.CountWorkspaces(ctx, a.ID); n != len(demoClients()) {
				t.Fatalf("%d workspaces after two runs", n)
			}
			page, _ := w.Workspaces(ctx, a.ID, "", workspace.ListOptions{})
			sc := page.Items[0].StaffScope()
			tasks, _ := w.Tasks(ctx, sc)
			columns := map[string]bool{}
			for _, tk := range tasks {
				columns[tk.Status] = true
			}
			if len(columns) != 4 {
				t.Errorf("tasks cover %d columns", len(columns))
			}
			invs, _ := w.Invoices(ctx, sc, workspace.ListOptions{})
			statuses, overdue := map[string]bool{}, false
			for _, inv := range invs.Items {
				statuses[inv.Status] = true
				overdue = overdue || inv.Overdue(workspace.Today())
			}
			if len(statuses) != 4 || !overdue {
				t.Errorf("invoices: statuses %v, overdue %v", statuses, overdue)
			}
			if rs, _ := tenant.NewStore(db.DB).Rates(ctx, a.ID); len(rs) == 0 {
				t.Error("no service rates")
			}
		})
	}
}

func run0(ctx context.Context, dbURL string, out *bytes.Buffer) error {
	return runDemo(ctx, []string{"-database-url", dbURL}, out)
}
