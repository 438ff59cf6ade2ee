package workspace_test

import (
	"errors"
	"testing"

	"workrate/field"
	"workrate/fixture"
	"workrate/store"
	"workrate/workspace"
)

func TestLineAmountsAndTotals(t *testing.T) {
	for _, tc := range []struct {
		qty   float64
		price int64
		milli int64
		cents int64
	}{
		{1.5, 12000, 1500, 18000}, // 1.5 × 120.00 = 180.00
		{2, 5000, 2000, 10000},
		{0.333, 10, 333, 3},     // 3.33 cents rounds down
		{0.005, 100, 5, 1},      // 0.5 cent rounds half up
		{2.5, 333, 2500, 833},   // 832.5 → 833
		{1.005, 100, 1005, 101}, // 1.005 is not exactly representable: still 1005 milli
		{0.001, 0, 1, 0},        // free line
		{1_000_000, 1_000_000_000, 1_000_000_000, 1_000_000_000_000_000}, // the largest line
	} {
		milli, err := workspace.QuantityMilli(tc.qty)
		if err != nil || milli != tc.milli {
			t.Errorf("QuantityMilli(%v) = %d, %v; want %d", tc.qty, milli, err, tc.milli)
		}
		if got := workspace.LineAmount(milli, tc.price); got != tc.cents {
			t.Errorf("LineAmount(%d, %d) = %d, want %d", milli, tc.price, got, tc.cents)
		}
	}
	if got := workspace.FormatQuantity(1500); got != "1.5" {
		t.Errorf("FormatQuantity(1500) = %q", got)
	}
	each(t, func(t *testing.T, fx *fixture.Fixture, s *workspace.Store) {
		w := fx.A1
		inv, err := s.CreateInvoice(ctx, w.StaffScope(), w.StaffActor(), workspace.InvoiceInput{
			Number: "2026-007", IssuedOn: "2026-03-01", DueOn: "2026-03-31", Currency: "usd", Status: workspace.InvoiceSent,
			Lines: []workspace.LineInput{
				{Description: "Design", Quantity: 1.5, UnitPriceCents: 12000},
				{Description: "Hosting", Quantity: 0.333, UnitPriceCents: 10},
				{Description: "Support", Quantity: 2.5, UnitPriceCents: 333},
			},
		})
		if err != nil {
			t.Fatal(err)
		}
		if inv.TotalCents != 18000+3+833 || inv.Currency != "USD" || len(inv.Lines) != 3 {
			t.Errorf("created %+v; want total 18836 USD with 3 lines", inv)
		}
		got, err := s.Invoice(ctx, w.ClientScope(), inv.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.TotalCents != 18836 || len(got.Lines) != 3 || got.Lines[0].QuantityMilli != 1500 || got.Lines[0].AmountCents != 18000 ||
			got.Lines[1].Position != 2 || got.Lines[2].Description != "Support" || got.Lines[0].Quantity() != 1.5 {
			t.Errorf("stored %+v", got)
		}
		// Totals by currency: the fixture's sent EUR invoice and this USD one.
		for _, tc := range []struct {
			today        string
			unpaid, over int
			overUSD      int64
		}{
			{"2026-01-10", 2, 0, 0},     // nothing due yet
			{fixture.Today, 2, 1, 0},    // the EUR one is overdue
			{"2026-04-01", 2, 2, 18836}, // both
		} {
			tot, err := s.InvoiceTotals(ctx, w.ClientScope(), tc.today)
			if err != nil {
				t.Fatal(err)
			}
			if tot.UnpaidCount != tc.unpaid || tot.OverdueCount != tc.over || tot.UnpaidCents["EUR"] != 18000 ||
				tot.UnpaidCents["USD"] != 18836 || tot.OverdueCents["USD"] != tc.overUSD {
				t.Errorf("totals on %s = %+v", tc.today, tot)
			}
		}
		_, err = s.InvoiceTotals(ctx, w.StaffScope(), "01/02/2026")
		wantField(t, err, "today", field.InvalidDate)
		if !got.Overdue("2026-04-01") || got.Overdue("2026-03-31") || !got.Unpaid() {
			t.Errorf("Overdue/Unpaid of %+v", got)
		}
	})
}

func TestInvoiceUpdates(t *testing.T) {
	each(t, func(t *testing.T, fx *fixture.Fixture, s *workspace.Store) {
		w := fx.A2
		sc, a := w.StaffScope(), w.StaffActor()
		draft, err := s.Invoice(ctx, sc, w.DraftInvoiceID)
		if err != nil {
			t.Fatal(err)
		}
		// New lines replace the old ones; the total follows.
		up, err := s.UpdateInvoice(ctx, sc, a, draft.ID, workspace.InvoicePatch{
			Lines: &[]workspace.LineInput{{Description: "A", Quantity: 1, UnitPriceCents: 100}, {Description: "B", Quantity: 2, UnitPriceCents: 250}},
		})
		if err != nil {
			t.Fatal(err)
		}
		if up.TotalCents != 600 || len(up.Lines) != 2 || up.Status != workspace.InvoiceDraft {
			t.Errorf("updated %+v", up)
		}
		if n := count(t, s, "invoice_lines", w.ID); n != 4 {
			t.Errorf("%d lines in the workspace, want 4 (2 + the 2 other invoices')", n)
		}
		// Sending it makes it client-visible, and says so in the timeline.
		sent, err := s.UpdateInvoice(ctx, sc, a, draft.ID, workspace.InvoicePatch{Status: ptr(workspace.InvoiceSent)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Invoice(ctx, w.ClientScope(), sent.ID); err != nil {
			t.Errorf("client cannot read the sent invoice: %v", err)
		}
		// Paid without a date: today; a paid date is kept only while paid.
		paid, err := s.UpdateInvoice(ctx, sc, a, draft.ID, workspace.InvoicePatch{Status: ptr(workspace.InvoicePaid)})
		if err != nil || paid.PaidOn != workspace.Today() {
			t.Errorf("paid = %+v, %v; want paid today", paid, err)
		}
		paid, err = s.UpdateInvoice(ctx, sc, a, draft.ID, workspace.InvoicePatch{PaidOn: ptr("2026-02-03")})
		if err != nil || paid.PaidOn != "2026-02-03" {
			t.Errorf("paid on = %+v, %v", paid, err)
		}
		void, err := s.UpdateInvoice(ctx, sc, a, draft.ID, workspace.InvoicePatch{Status: ptr(workspace.InvoiceVoid)})
		if err != nil || void.PaidOn != "" {
			t.Errorf("void = %+v, %v; want no paid date", void, err)
		}
		_, err = s.UpdateInvoice(ctx, sc, a, draft.ID, workspace.InvoicePatch{DueOn: ptr("2025-12-31")})
		wantField(t, err, "due_on", field.DueBeforeIssue)

		act, err := s.Activity(ctx, sc, 5)
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"invoice.voided/client", "invoice.updated/client", "invoice.paid/client", "invoice.sent/client", "invoice.updated/internal"}
		for i, e := range act {
			if got := e.Verb + "/" + e.Visibility; got != want[i] || e.Summary != w.Marker("draftinvoice") {
				t.Errorf("activity %d = %s %q, want %s", i, got, e.Summary, want[i])
			}
		}
	})
}

// TestInvoiceNumbersAndTransactions: numbers are unique per agency, and a
// failed write leaves nothing half done.
func TestInvoiceNumbersAndTransactions(t *testing.T) {
	each(t, func(t *testing.T, fx *fixture.Fixture, s *workspace.Store) {
		w := fx.A1
		sc, a := w.StaffScope(), w.StaffActor()
		lines, invoices, activity := count(t, s, "invoice_lines", w.ID), count(t, s, "invoices", w.ID), count(t, s, "activity", w.ID)

		// A2's number, reused in A1 (same agency): conflict, nothing written.
		_, err := s.CreateInvoice(ctx, sc, a, invoiceInput(fx.A2.Marker("sentinvoice")))
		if !errors.Is(err, store.ErrConflict) {
			t.Fatalf("number of A2 reused in A1: got %v, want ErrConflict", err)
		}
		// The same number in agency B is fine.
		if _, err := s.CreateInvoice(ctx, fx.B1.StaffScope(), fx.B1.StaffActor(), invoiceInput(w.Marker("sentinvoice"))); err != nil {
			t.Errorf("A1's number in agency B: %v", err)
		}
		// An update that replaces the lines and then hits a taken number
		// rolls the new lines back.
		_, err = s.UpdateInvoice(ctx, sc, a, w.DraftInvoiceID, workspace.InvoicePatch{
			Number: ptr(w.Marker("paidinvoice")),
			Lines:  &[]workspace.LineInput{{Description: "new", Quantity: 9, UnitPriceCents: 9}},
		})
		if !errors.Is(err, store.ErrConflict) {
			t.Fatalf("update to a taken number: got %v, want ErrConflict", err)
		}
		draft, err := s.Invoice(ctx, sc, w.DraftInvoiceID)
		if err != nil {
			t.Fatal(err)
		}
		if draft.Number != w.Marker("draftinvoice") || len(draft.Lines) != 1 || draft.Lines[0].Description != "Work "+w.Marker("draftline") || draft.TotalCents != 3000 {
			t.Errorf("draft after the failed update: %+v", draft)
		}
		if got := []int{count(t, s, "invoice_lines", w.ID), count(t, s, "invoices", w.ID), count(t, s, "activity", w.ID)}; got[0] != lines || got[1] != invoices || got[2] != activity {
			t.Errorf("lines, invoices, activity = %v, want %d, %d, %d", got, lines, invoices, activity)
		}
	})
}

func TestClientScopeCannotWrite(t *testing.T) {
	each(t, func(t *testing.T, fx *fixture.Fixture, s *workspace.Store) {
		w := fx.A1
		sc, a := w.ClientScope(), w.ClientActor()
		before := snapshot(t, s, w)
		for name, write := range map[string]func() error{
			"CreateTask": func() error { _, err := s.CreateTask(ctx, sc, a, workspace.TaskInput{Title: "x"}); return err },
			"UpdateTask": func() error {
				_, err := s.UpdateTask(ctx, sc, a, w.TaskID, workspace.TaskPatch{Status: ptr(workspace.TaskDone)})
				return err
			},
			"DeleteTask": func() error { return s.DeleteTask(ctx, sc, a, w.TaskID) },
			"UpdateTicket": func() error {
				_, err := s.UpdateTicket(ctx, sc, a, w.TicketID, workspace.TicketPatch{Status: ptr(workspace.TicketClosed)})
				return err
			},
			"CreateInvoice": func() error { _, err := s.CreateInvoice(ctx, sc, a, invoiceInput("C-1")); return err },
			"UpdateInvoice": func() error {
				_, err := s.UpdateInvoice(ctx, sc, a, w.SentInvoiceID, workspace.InvoicePatch{Status: ptr(workspace.InvoicePaid)})
				return err
			},
			"CreateNote": func() error { _, err := s.CreateNote(ctx, sc, a, "x", false); return err },
			"UpdateNote": func() error { _, err := s.UpdateNote(ctx, sc, a, w.SharedNoteID, "x", false); return err },
			"DeleteNote": func() error { return s.DeleteNote(ctx, sc, a, w.SharedNoteID) },
		} {
			if err := write(); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("%s with a client scope: got %v, want ErrNotFound", name, err)
			}
		}
		if after := snapshot(t, s, w); after != before {
			t.Errorf("client writes changed the workspace")
		}
		// What a client may do: post, open tickets, comment.
		if _, err := s.PostMessage(ctx, sc, a, "hello"); err != nil {
			t.Error(err)
		}
		tk, err := s.CreateTicket(ctx, sc, a, workspace.TicketInput{Subject: "help"})
		if err != nil || !tk.FromClient {
			t.Errorf("client ticket %+v, %v", tk, err)
		}
	})
}
