package workspace

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/uptrace/bun"

	"workrate/store"
)

// ActiveTasks returns up to limit of the scope's tasks in progress or in
// review, by status then position: the dashboard's "active work" without
// reading the board.
func (s *Store) ActiveTasks(ctx context.Context, sc Scope, limit int) ([]Task, error) {
	if err := sc.check(); err != nil {
		return nil, fmt.Errorf("workspace: active tasks: %w", err)
	}
	out := []Task{}
	err := s.db.NewSelect().Model(&out).
		Where("agency_id = ? AND workspace_id = ?", sc.AgencyID, sc.WorkspaceID).
		Where("status IN (?)", bun.List([]string{TaskInProgress, TaskReview})).
		OrderExpr(boardOrder).Order("position", "id").Limit(int64(limit)).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("workspace: active tasks of %s: %w", sc, store.Translate(err))
	}
	return out, nil
}

// OpenTickets returns, in one query, up to perStatus of the scope's newest
// tickets of each open status (in OpenTicketStatuses order) and the number
// of open tickets in all.
func (s *Store) OpenTickets(ctx context.Context, sc Scope, perStatus int) ([]Ticket, int, error) {
	if err := sc.check(); err != nil {
		return nil, 0, fmt.Errorf("workspace: open tickets: %w", err)
	}
	var rows []struct {
		Ticket `bun:",extend"`
		Rank   int `bun:"status_rank"`
		Total  int `bun:"open_total"`
	}
	inner := s.db.NewSelect().Model((*Ticket)(nil)).ColumnExpr("ticket.*").
		ColumnExpr("ROW_NUMBER() OVER (PARTITION BY status ORDER BY id DESC) AS status_rank").
		ColumnExpr("COUNT(*) OVER () AS open_total").
		Where("agency_id = ? AND workspace_id = ?", sc.AgencyID, sc.WorkspaceID).
		Where("status IN (?)", bun.List(OpenTicketStatuses()))
	err := s.db.NewSelect().TableExpr("(?) AS open_ticket", inner).ColumnExpr("open_ticket.*").
		Where("open_ticket.status_rank <= ?", perStatus).Scan(ctx, &rows)
	if err != nil {
		return nil, 0, fmt.Errorf("workspace: open tickets of %s: %w", sc, store.Translate(err))
	}
	out := make([]Ticket, 0, len(rows))
	total := 0
	for _, r := range rows {
		out = append(out, r.Ticket)
		total = r.Total
	}
	order := OpenTicketStatuses()
	slices.SortFunc(out, func(a, b Ticket) int {
		if d := slices.Index(order, a.Status) - slices.Index(order, b.Status); d != 0 {
			return d
		}
		return strings.Compare(b.ID, a.ID)
	})
	return out, total, nil
}

// UnpaidInvoices returns, in one query, up to limit of the scope's unpaid
// (sent) invoices without lines, the latest issued first, with how many are
// unpaid and how many of those are due before today (YYYY-MM-DD) in all.
func (s *Store) UnpaidInvoices(ctx context.Context, sc Scope, today string, limit int) ([]Invoice, int, int, error) {
	if err := sc.check(); err != nil {
		return nil, 0, 0, fmt.Errorf("workspace: unpaid invoices: %w", err)
	}
	if !ValidDate(today) {
		return nil, 0, 0, fieldErr("today", CodeInvalidDate)
	}
	var rows []struct {
		Invoice `bun:",extend"`
		Unpaid  int `bun:"unpaid"`
		Overdue int `bun:"overdue"`
	}
	err := s.db.NewSelect().Model((*Invoice)(nil)).ColumnExpr("invoice.*").
		ColumnExpr("COUNT(*) OVER () AS unpaid").
		ColumnExpr("SUM(CASE WHEN due_on < ? THEN 1 ELSE 0 END) OVER () AS overdue", today).
		Where("agency_id = ? AND workspace_id = ?", sc.AgencyID, sc.WorkspaceID).
		Where("status = ?", InvoiceSent).
		Order("issued_on DESC", "id DESC").Limit(int64(limit)).Scan(ctx, &rows)
	if err != nil {
		return nil, 0, 0, fmt.Errorf("workspace: unpaid invoices of %s: %w", sc, store.Translate(err))
	}
	out := make([]Invoice, 0, len(rows))
	unpaid, overdue := 0, 0
	for _, r := range rows {
		out = append(out, r.Invoice)
		unpaid, overdue = r.Unpaid, r.Overdue
	}
	return out, unpaid, overdue, nil
}
