package workspace

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"workrate/field"
	"workrate/store"
)

// Invoice statuses. Overdue is not a status: it is derived (sent and due
// before today).
const (
	InvoiceDraft = "draft"
	InvoiceSent  = "sent"
	InvoicePaid  = "paid"
	InvoiceVoid  = "void"
)

// InvoiceStatuses returns the invoice statuses.
func InvoiceStatuses() []string { return []string{InvoiceDraft, InvoiceSent, InvoicePaid, InvoiceVoid} }

// Invoice is a bill to the client; TotalCents is computed by the store from
// the lines. Dates are YYYY-MM-DD. Clients never see drafts.
type Invoice struct {
	bun.BaseModel `bun:"table:invoices" json:"-"`

	ID          string        `bun:"id,pk" json:"id"`
	AgencyID    string        `bun:"agency_id" json:"-"`
	WorkspaceID string        `bun:"workspace_id" json:"-"`
	Number      string        `bun:"number" json:"number"`
	IssuedOn    string        `bun:"issued_on" json:"issued_on"`
	DueOn       string        `bun:"due_on" json:"due_on"`
	Currency    string        `bun:"currency" json:"currency"`
	Status      string        `bun:"status" json:"status"`
	PaidOn      string        `bun:"paid_on" json:"paid_on"`
	TotalCents  int64         `bun:"total_cents" json:"total_cents"`
	Lines       []InvoiceLine `bun:"-" json:"lines,omitempty"`
	CreatedAt   time.Time     `bun:"created_at" json:"created_at"`
	UpdatedAt   time.Time     `bun:"updated_at" json:"updated_at"`
}

// Unpaid reports whether the client still owes the invoice: sent, not paid or void.
func (i Invoice) Unpaid() bool { return i.Status == InvoiceSent }

// Overdue reports whether the invoice is unpaid and due before today (YYYY-MM-DD).
func (i Invoice) Overdue(today string) bool { return i.Unpaid() && i.DueOn < today }

// InvoiceLine is one line of an invoice: QuantityMilli is the quantity in
// thousandths (1.5 → 1500); AmountCents is computed (see LineAmount).
type InvoiceLine struct {
	bun.BaseModel `bun:"table:invoice_lines" json:"-"`

	ID             string `bun:"id,pk" json:"id"`
	AgencyID       string `bun:"agency_id" json:"-"`
	WorkspaceID    string `bun:"workspace_id" json:"-"`
	InvoiceID      string `bun:"invoice_id" json:"-"`
	Position       int    `bun:"position" json:"position"`
	Description    string `bun:"description" json:"description"`
	QuantityMilli  int64  `bun:"quantity_milli" json:"quantity_milli"`
	UnitPriceCents int64  `bun:"unit_price_cents" json:"unit_price_cents"`
	AmountCents    int64  `bun:"amount_cents" json:"amount_cents"`
}

// Quantity returns the line's quantity as a number (1500 → 1.5).
func (l InvoiceLine) Quantity() float64 { return float64(l.QuantityMilli) / 1000 }

// LineInput is a line as entered: a description (1–500 characters), a
// quantity > 0 with at most 3 decimals and a unit price >= 0 in cents.
type LineInput struct {
	Description    string  `json:"description"`
	Quantity       float64 `json:"quantity"`
	UnitPriceCents int64   `json:"unit_price_cents"`
}

// InvoiceInput is a new invoice: a number unique in the agency (1–40
// characters), issue and due dates, a currency, a status (default draft)
// and at least one line.
type InvoiceInput struct {
	Number   string      `json:"number"`
	IssuedOn string      `json:"issued_on"`
	DueOn    string      `json:"due_on"`
	Currency string      `json:"currency"`
	Status   string      `json:"status"`
	Lines    []LineInput `json:"lines"`
}

// InvoicePatch changes the fields that are not nil; Lines, when set,
// replaces every line.
type InvoicePatch struct {
	Number   *string      `json:"number"`
	IssuedOn *string      `json:"issued_on"`
	DueOn    *string      `json:"due_on"`
	Currency *string      `json:"currency"`
	Status   *string      `json:"status"`
	PaidOn   *string      `json:"paid_on"`
	Lines    *[]LineInput `json:"lines"`
}

// InvoiceTotals sums what the client owes, by currency: Unpaid counts sent
// invoices, Overdue those of them due before today.
type InvoiceTotals struct {
	UnpaidCount  int              `json:"unpaid_count"`
	OverdueCount int              `json:"overdue_count"`
	UnpaidCents  map[string]int64 `json:"unpaid_cents"`
	OverdueCents map[string]int64 `json:"overdue_cents"`
}

// validLines checks lines and computes their amounts and the total.
func validLines(in []LineInput) ([]InvoiceLine, int64, error) {
	if len(in) == 0 {
		return nil, 0, field.New("lines", field.NoLines)
	}
	if len(in) > maxLines {
		return nil, 0, field.Limited("lines", field.TooManyLines, maxLines)
	}
	lines := make([]InvoiceLine, len(in))
	var total int64
	for i, l := range in {
		f := func(name string) string { return fmt.Sprintf("lines[%d].%s", i, name) }
		desc, err := line(f("description"), l.Description, true, maxLineText)
		if err != nil {
			return nil, 0, err
		}
		qm, err := QuantityMilli(l.Quantity)
		if err != nil {
			return nil, 0, err.(*field.Error).In(f("quantity"))
		}
		if l.UnitPriceCents < 0 {
			return nil, 0, field.New(f("unit_price_cents"), field.Negative)
		}
		if l.UnitPriceCents > maxUnitPriceCents {
			return nil, 0, field.Limited(f("unit_price_cents"), field.TooLarge, maxUnitPriceCents)
		}
		lines[i] = InvoiceLine{Position: i + 1, Description: desc, QuantityMilli: qm, UnitPriceCents: l.UnitPriceCents, AmountCents: LineAmount(qm, l.UnitPriceCents)}
		total += lines[i].AmountCents
	}
	return lines, total, nil
}

// validate checks an invoice's own fields (not its lines) and settles
// paid_on: today when paid without a date, "" unless paid.
func (inv *Invoice) validate() error {
	var err error
	if inv.Number, err = line("number", inv.Number, true, maxInvoiceNumber); err != nil {
		return err
	}
	if inv.IssuedOn, err = date("issued_on", inv.IssuedOn, true); err != nil {
		return err
	}
	if inv.DueOn, err = date("due_on", inv.DueOn, true); err != nil {
		return err
	}
	if inv.DueOn < inv.IssuedOn {
		return field.New("due_on", field.DueBeforeIssue)
	}
	if inv.Currency, err = currencyCode("currency", inv.Currency); err != nil {
		return err
	}
	if inv.Status, err = oneOf("status", field.InvalidStatus, inv.Status, InvoiceStatuses()); err != nil {
		return err
	}
	if inv.PaidOn, err = date("paid_on", inv.PaidOn, false); err != nil {
		return err
	}
	switch {
	case inv.Status != InvoicePaid:
		inv.PaidOn = ""
	case inv.PaidOn == "":
		inv.PaidOn = Today()
	}
	return nil
}

// invoiceEntry is the activity of an invoice reaching a status: drafts are
// internal, everything a client can see is client-visible. The summary is
// the invoice number.
func invoiceEntry(inv *Invoice, statusChanged bool) entry {
	e := entry{VerbInvoiceUpdated, SubjectInvoice, inv.ID, inv.Number, VisibilityClient}
	if statusChanged {
		switch inv.Status {
		case InvoiceSent:
			e.verb = VerbInvoiceSent
		case InvoicePaid:
			e.verb = VerbInvoicePaid
		case InvoiceVoid:
			e.verb = VerbInvoiceVoided
		}
	}
	if inv.Status == InvoiceDraft {
		e.visibility = VisibilityInternal
	}
	return e
}

// Invoices lists the scope's invoices without their lines, the latest
// issued first; a client scope never lists drafts.
func (s *Store) Invoices(ctx context.Context, sc Scope, opt ListOptions) (Page[Invoice], error) {
	page := Page[Invoice]{Items: []Invoice{}}
	if err := sc.check(); err != nil {
		return page, fmt.Errorf("workspace: invoices: %w", err)
	}
	after, err := decodeCursor(opt.Cursor, 2)
	if err != nil {
		return page, err
	}
	if after != nil && !ValidDate(after[0]) {
		return page, field.New("cursor", field.InvalidCursor)
	}
	limit := opt.limit()
	q := s.db.NewSelect().Model(&page.Items).Where("agency_id = ? AND workspace_id = ?", sc.AgencyID, sc.WorkspaceID)
	if !sc.IsStaff() {
		q = q.Where("status <> ?", InvoiceDraft)
	}
	if after != nil {
		q = q.Where("(issued_on < ? OR (issued_on = ? AND id < ?))", after[0], after[0], after[1])
	}
	if err := q.Order("issued_on DESC", "id DESC").Limit(int64(limit + 1)).Scan(ctx); err != nil {
		return page, fmt.Errorf("workspace: invoices of %s: %w", sc, store.Translate(err))
	}
	if len(page.Items) > limit {
		page.Items = page.Items[:limit]
		last := page.Items[limit-1]
		page.Next = encodeCursor(last.IssuedOn, last.ID)
	}
	return page, nil
}

// Invoice returns one invoice with its lines; a draft is store.ErrNotFound
// for a client scope.
func (s *Store) Invoice(ctx context.Context, sc Scope, id string) (*Invoice, error) {
	if err := sc.checkID(id); err != nil {
		return nil, fmt.Errorf("workspace: invoice %q: %w", id, err)
	}
	return invoiceByID(ctx, s.db, sc, id)
}

func invoiceByID(ctx context.Context, db bun.IDB, sc Scope, id string) (*Invoice, error) {
	inv := new(Invoice)
	q := db.NewSelect().Model(inv).Where("agency_id = ? AND workspace_id = ? AND id = ?", sc.AgencyID, sc.WorkspaceID, id)
	if !sc.IsStaff() {
		q = q.Where("status <> ?", InvoiceDraft)
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("workspace: invoice %s: %w", id, store.Translate(err))
	}
	inv.Lines = []InvoiceLine{}
	err := db.NewSelect().Model(&inv.Lines).
		Where("agency_id = ? AND workspace_id = ? AND invoice_id = ?", sc.AgencyID, sc.WorkspaceID, id).
		Order("position").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("workspace: lines of invoice %s: %w", id, store.Translate(err))
	}
	return inv, nil
}

// CreateInvoice adds an invoice and its lines, with the total computed by
// the store, and its activity, all in one transaction. A number already used
// in the agency is store.ErrConflict. Client scopes are refused
// (store.ErrNotFound).
func (s *Store) CreateInvoice(ctx context.Context, sc Scope, a Actor, in InvoiceInput) (*Invoice, error) {
	if err := sc.checkStaff(); err != nil {
		return nil, fmt.Errorf("workspace: create invoice: %w", err)
	}
	if in.Status == "" {
		in.Status = InvoiceDraft
	}
	inv := &Invoice{AgencyID: sc.AgencyID, WorkspaceID: sc.WorkspaceID, Number: in.Number, IssuedOn: in.IssuedOn, DueOn: in.DueOn, Currency: in.Currency, Status: in.Status}
	if err := inv.validate(); err != nil {
		return nil, err
	}
	lines, total, err := validLines(in.Lines)
	if err != nil {
		return nil, err
	}
	now := store.Now()
	inv.ID, inv.TotalCents, inv.CreatedAt, inv.UpdatedAt = store.NewID(), total, now, now
	inv.Lines = lines
	for i := range inv.Lines {
		inv.Lines[i].ID = store.NewID()
	}
	if err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error { return insertInvoice(ctx, tx, sc, a, inv) }); err != nil {
		return nil, fmt.Errorf("workspace: create invoice in %s: %w", sc, err)
	}
	return inv, nil
}

// insertInvoice writes a checked invoice, its lines (ids already set) and
// its activity with tx.
func insertInvoice(ctx context.Context, tx bun.IDB, sc Scope, a Actor, inv *Invoice) error {
	if err := ensureWorkspace(ctx, tx, sc); err != nil {
		return err
	}
	if _, err := tx.NewInsert().Model(inv).Exec(ctx); err != nil {
		return store.Translate(err)
	}
	if err := insertLines(ctx, tx, sc, inv); err != nil {
		return err
	}
	e := invoiceEntry(inv, true)
	if inv.Status == InvoiceDraft {
		e.verb = VerbInvoiceCreated
	}
	return record(ctx, tx, sc, a, e)
}

func insertLines(ctx context.Context, tx bun.IDB, sc Scope, inv *Invoice) error {
	for i := range inv.Lines {
		l := &inv.Lines[i]
		l.AgencyID, l.WorkspaceID, l.InvoiceID = sc.AgencyID, sc.WorkspaceID, inv.ID
	}
	if _, err := tx.NewInsert().Model(&inv.Lines).Exec(ctx); err != nil {
		return fmt.Errorf("invoice lines: %w", store.Translate(err))
	}
	return nil
}

// UpdateInvoice changes an invoice; new lines replace the old ones and the
// total is recomputed, all in one transaction. Client scopes are refused
// (store.ErrNotFound).
func (s *Store) UpdateInvoice(ctx context.Context, sc Scope, a Actor, id string, in InvoicePatch) (*Invoice, error) {
	if err := sc.checkStaff(); err != nil {
		return nil, fmt.Errorf("workspace: update invoice %q: %w", id, err)
	}
	if !store.ValidID(id) {
		return nil, fmt.Errorf("workspace: update invoice %q: %w", id, store.ErrNotFound)
	}
	var lines []InvoiceLine
	var total int64
	if in.Lines != nil {
		var err error
		if lines, total, err = validLines(*in.Lines); err != nil {
			return nil, err
		}
	}
	var inv *Invoice
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if inv, err = invoiceByID(ctx, tx, sc, id); err != nil {
			return err
		}
		before := *inv
		set := func(dst *string, v *string) {
			if v != nil {
				*dst = *v
			}
		}
		set(&inv.Number, in.Number)
		set(&inv.IssuedOn, in.IssuedOn)
		set(&inv.DueOn, in.DueOn)
		set(&inv.Currency, in.Currency)
		set(&inv.Status, in.Status)
		set(&inv.PaidOn, in.PaidOn)
		if err := inv.validate(); err != nil {
			return err
		}
		// Lines first, then the invoice row: a failure anywhere (a number
		// taken, say) rolls the new lines back with it.
		if in.Lines != nil {
			if _, err := tx.NewDelete().Model((*InvoiceLine)(nil)).
				Where("agency_id = ? AND workspace_id = ? AND invoice_id = ?", sc.AgencyID, sc.WorkspaceID, id).Exec(ctx); err != nil {
				return store.Translate(err)
			}
			inv.Lines, inv.TotalCents = lines, total
			for i := range inv.Lines {
				inv.Lines[i].ID = store.NewID()
			}
			if err := insertLines(ctx, tx, sc, inv); err != nil {
				return err
			}
		}
		inv.UpdatedAt = store.Now()
		res, err := tx.NewUpdate().Model(inv).
			Column("number", "issued_on", "due_on", "currency", "status", "paid_on", "total_cents", "updated_at").
			Where("agency_id = ? AND workspace_id = ? AND id = ?", sc.AgencyID, sc.WorkspaceID, id).Exec(ctx)
		if err != nil {
			return store.Translate(err)
		}
		if err := affected(res); err != nil {
			return err
		}
		return record(ctx, tx, sc, a, invoiceEntry(inv, inv.Status != before.Status))
	})
	if err != nil {
		return nil, wrapErr(err, "workspace: update invoice %s", id)
	}
	return inv, nil
}

// InvoiceTotals sums the scope's unpaid (sent) invoices by currency, and
// those due before today (YYYY-MM-DD; "" for the current UTC date).
func (s *Store) InvoiceTotals(ctx context.Context, sc Scope, today string) (InvoiceTotals, error) {
	tot := InvoiceTotals{UnpaidCents: map[string]int64{}, OverdueCents: map[string]int64{}}
	if err := sc.check(); err != nil {
		return tot, fmt.Errorf("workspace: invoice totals: %w", err)
	}
	if today == "" {
		today = Today()
	}
	if !ValidDate(today) {
		return tot, field.New("today", field.InvalidDate)
	}
	var rows []struct {
		Currency     string `bun:"currency"`
		Unpaid       int    `bun:"unpaid"`
		UnpaidCents  int64  `bun:"unpaid_cents"`
		Overdue      int    `bun:"overdue"`
		OverdueCents int64  `bun:"overdue_cents"`
	}
	err := s.db.NewSelect().Model((*Invoice)(nil)).
		Column("currency").
		ColumnExpr("COUNT(*) AS unpaid").
		ColumnExpr("COALESCE(SUM(total_cents), 0) AS unpaid_cents").
		ColumnExpr("COALESCE(SUM(CASE WHEN due_on < ? THEN 1 ELSE 0 END), 0) AS overdue", today).
		ColumnExpr("COALESCE(SUM(CASE WHEN due_on < ? THEN total_cents ELSE 0 END), 0) AS overdue_cents", today).
		Where("agency_id = ? AND workspace_id = ?", sc.AgencyID, sc.WorkspaceID).
		Where("status = ?", InvoiceSent).
		Group("currency").Scan(ctx, &rows)
	if err != nil {
		return tot, fmt.Errorf("workspace: invoice totals of %s: %w", sc, store.Translate(err))
	}
	for _, r := range rows {
		tot.UnpaidCount += r.Unpaid
		tot.OverdueCount += r.Overdue
		tot.UnpaidCents[r.Currency] += r.UnpaidCents
		if r.Overdue > 0 {
			tot.OverdueCents[r.Currency] += r.OverdueCents
		}
	}
	return tot, nil
}
