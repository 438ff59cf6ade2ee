package main

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"
	"time"

	"workrate/auth"
	"workrate/migrations/testdb"
	"workrate/workspace"
)

// TestSeedCreatesWhatItSays seeds a small spread and the big workspace on
// both databases: the rows are there, ticket numbers leave room for the
// next ticket, and the big workspace's client can be signed in.
func TestSeedCreatesWhatItSays(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			ctx := context.Background()
			var buf bytes.Buffer
			if err := runSeed(ctx, []string{"-database-url", db.URL, "--agencies", "3", "--workspaces-per-agency", "2", "--rows", "31", "--big"}, &buf); err != nil {
				t.Fatal(err)
			}
			var out struct {
				Workspaces   int   `json:"workspaces"`
				RowsInserted int64 `json:"rows_inserted"`
			}
			if err := json.Unmarshal(buf.Bytes(), &out); err != nil {
				t.Fatalf("output: %v\n%s", err, buf.String())
			}
			// 3 agencies + 6 workspaces + 31 rows, then the big workspace's rows.
			want := int64(3 + 6 + 31 + seedBigTickets + seedBigMessages + seedBigTasks + 2*seedBigInvoices + seedBigActivity)
			if out.Workspaces != 6 || out.RowsInserted != want {
				t.Errorf("output = %+v, want 6 workspaces and %d rows", out, want)
			}
			for table, n := range map[string]int{"agencies": 4, "workspaces": 7, "tickets": 10 + seedBigTickets, "messages": 10 + seedBigMessages, "tasks": 11 + seedBigTasks, "invoices": seedBigInvoices, "activity": seedBigActivity} {
				got, err := db.NewSelect().Table(table).Count(ctx)
				if err != nil || got != int64(n) {
					t.Errorf("%s: %d rows (%v), want %d", table, got, err, n)
				}
			}
			// Each workspace's counter is past its seeded tickets: a new ticket gets a free number.
			var rows []struct {
				AgencyID string `bun:"agency_id"`
				ID       string `bun:"id"`
			}
			if err := db.NewSelect().Table("workspaces").Column("agency_id", "id").Scan(ctx, &rows); err != nil {
				t.Fatal(err)
			}
			ws := workspace.NewStore(db.DB)
			for _, w := range rows {
				if _, err := ws.CreateTicket(ctx, workspace.StaffScope(w.AgencyID, w.ID), workspace.Actor{Kind: "staff", Name: "T"}, workspace.TicketInput{Subject: "After seed"}); err != nil {
					t.Errorf("new ticket in seeded workspace %s: %v", w.ID, err)
				}
			}
			if _, err := seedBigSession(ctx, db.DB, "bigseed.localhost", sessionPolicyForTest()); err != nil {
				t.Errorf("big client session: %v", err)
			}
		})
	}
}

func sessionPolicyForTest() auth.SessionPolicy {
	return auth.SessionPolicy{Idle: time.Hour, Max: 24 * time.Hour}
}
