package workspace

import (
	"context"
	"errors"
	"testing"

	"github.com/uptrace/bun"

	"workrate/migrations/testdb"
	"workrate/store"
	"workrate/tenant"
)

// TestFailingLineLeavesNoInvoice makes the line insert fail after the
// invoice row went in (two lines with one id): the transaction leaves no
// invoice, no line and no activity behind.
func TestFailingLineLeavesNoInvoice(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			ctx := context.Background()
			ag, err := tenant.NewStore(db.DB).CreateAgency(ctx, "Tx", "tx-agency")
			if err != nil {
				t.Fatal(err)
			}
			s := NewStore(db.DB)
			ws, err := s.CreateWorkspace(ctx, ag.ID, Actor{Kind: ActorSystem}, WorkspaceInput{Name: "Tx"})
			if err != nil {
				t.Fatal(err)
			}
			sc := ws.StaffScope()
			lineID := store.NewID()
			inv := &Invoice{ID: store.NewID(), AgencyID: ag.ID, WorkspaceID: ws.ID, Number: "TX-1", IssuedOn: "2026-01-01",
				DueOn: "2026-01-31", Currency: "EUR", Status: InvoiceDraft, TotalCents: 2, CreatedAt: store.Now(), UpdatedAt: store.Now(),
				Lines: []InvoiceLine{
					{ID: lineID, Position: 1, Description: "a", QuantityMilli: 1000, UnitPriceCents: 1, AmountCents: 1},
					{ID: lineID, Position: 2, Description: "b", QuantityMilli: 1000, UnitPriceCents: 1, AmountCents: 1},
				}}
			err = s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error { return insertInvoice(ctx, tx, sc, Actor{}, inv) })
			if !errors.Is(err, store.ErrConflict) {
				t.Fatalf("got %v, want the lines' ErrConflict", err)
			}
			for _, table := range []string{"invoices", "invoice_lines"} {
				if n, err := db.NewSelect().Table(table).Where("workspace_id = ?", ws.ID).Count(ctx); err != nil || n != 0 {
					t.Errorf("%s: %d rows, %v; want none", table, n, err)
				}
			}
			if n, _ := db.NewSelect().Table("activity").Where("workspace_id = ? AND subject_type = ?", ws.ID, SubjectInvoice).Count(ctx); n != 0 {
				t.Errorf("%d invoice activity rows, want none", n)
			}
			// The same invoice with distinct line ids goes in whole.
			inv.Lines[1].ID = store.NewID()
			if err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error { return insertInvoice(ctx, tx, sc, Actor{}, inv) }); err != nil {
				t.Fatal(err)
			}
			if got, err := s.Invoice(ctx, sc, inv.ID); err != nil || len(got.Lines) != 2 {
				t.Errorf("invoice = %+v, %v", got, err)
			}
		})
	}
}
