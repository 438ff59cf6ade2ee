package workspace

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/uptrace/bun"

	"workrate/field"
	"workrate/store"
)

// ActiveTasks returns up to limit of the scope's tasks in progress or in
// review, by status then position: the dashboard's "active work" without
// reading the board. Each status is read from its own index range, at most
// limit rows, so a long column costs nothing (topPerValue).
func (s *Store) ActiveTasks(ctx context.Context, sc Scope, limit int) ([]Task, error) {
	if err := sc.check(); err != nil {
		return nil, fmt.Errorf("workspace: active tasks: %w", err)
	}
	statuses := []string{TaskInProgress, TaskReview}
	out := []Task{}
	q := s.topPerValue(statuses, func(status string) *bun.SelectQuery {
		return s.db.NewSelect().Model((*Task)(nil)).
			Where("agency_id = ? AND workspace_id = ? AND status = ?", sc.AgencyID, sc.WorkspaceID, status).
			Order("position", "id").Limit(int64(limit))
	})
	if err := q.Scan(ctx, &out); err != nil {
		return nil, fmt.Errorf("workspace: active tasks of %s: %w", sc, store.Translate(err))
	}
	slices.SortFunc(out, func(a, b Task) int {
		return cmp.Or(cmp.Compare(slices.Index(statuses, a.Status), slices.Index(statuses, b.Status)),
			cmp.Compare(a.Position, b.Position), strings.Compare(a.ID, b.ID))
	})
	return out[:min(limit, len(out))], nil
}

// OpenTickets returns, in one query, up to perStatus of the scope's newest
// tickets of each open status (in OpenTicketStatuses order) and the number
// of open tickets in all. Each status is read from its own index range
// (topPerValue); the count is one index-only scan.
func (s *Store) OpenTickets(ctx context.Context, sc Scope, perStatus int) ([]Ticket, int, error) {
	if err := sc.check(); err != nil {
		return nil, 0, fmt.Errorf("workspace: open tickets: %w", err)
	}
	order := OpenTicketStatuses()
	count := s.db.NewSelect().Model((*Ticket)(nil)).ColumnExpr("COUNT(*) AS open_total").
		Where("agency_id = ? AND workspace_id = ? AND status IN (?)", sc.AgencyID, sc.WorkspaceID, bun.List(order))
	newest := s.topPerValue(order, func(status string) *bun.SelectQuery {
		return s.db.NewSelect().Model((*Ticket)(nil)).
			Where("agency_id = ? AND workspace_id = ? AND status = ?", sc.AgencyID, sc.WorkspaceID, status).
			Order("id DESC").Limit(int64(perStatus))
	})
	var rows []struct {
		Ticket `bun:",extend"`
		Total  int `bun:"open_total"`
	}
	// The count is computed once and joined to every row (no rows: no
	// open ticket, and a count of 0).
	err := s.db.NewSelect().TableExpr("(?) AS open_ticket", newest).TableExpr("(?) AS open_count", count).
		ColumnExpr("open_ticket.*, open_count.open_total").Scan(ctx, &rows)
	if err != nil {
		return nil, 0, fmt.Errorf("workspace: open tickets of %s: %w", sc, store.Translate(err))
	}
	out := make([]Ticket, 0, len(rows))
	total := 0
	for _, r := range rows {
		out = append(out, r.Ticket)
		total = r.Total
	}
	slices.SortFunc(out, func(a, b Ticket) int {
		return cmp.Or(cmp.Compare(slices.Index(order, a.Status), slices.Index(order, b.Status)), strings.Compare(b.ID, a.ID))
	})
	return out, total, nil
}

// topPerValue joins with UNION ALL one query per value, each with its own
// ORDER BY and LIMIT: PostgreSQL and SQLite then read at most the limit from
// each value's index range, where one query over all values would read and
// sort every matching row. Each part is a subquery because SQLite allows
// ORDER BY and LIMIT only at the end of a compound SELECT.
func (s *Store) topPerValue(values []string, part func(value string) *bun.SelectQuery) *bun.SelectQuery {
	var q *bun.SelectQuery
	for i, v := range values {
		p := s.db.NewSelect().TableExpr("(?) AS ?", part(v), bun.Ident(fmt.Sprintf("part_%d", i))).ColumnExpr("*")
		if q == nil {
			q = p
		} else {
			q = q.UnionAll(p)
		}
	}
	return q
}

// UnpaidInvoices returns, in one query, up to limit of the scope's unpaid
// (sent) invoices without lines, the latest issued first, with how many are
// unpaid and how many of those are due before today (YYYY-MM-DD) in all.
func (s *Store) UnpaidInvoices(ctx context.Context, sc Scope, today string, limit int) ([]Invoice, int, int, error) {
	if err := sc.check(); err != nil {
		return nil, 0, 0, fmt.Errorf("workspace: unpaid invoices: %w", err)
	}
	if !ValidDate(today) {
		return nil, 0, 0, field.New("today", field.InvalidDate)
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
