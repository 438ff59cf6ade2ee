package workspace

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"workrate/field"
	"workrate/store"
)

// Ticket statuses.
const (
	TicketOpen       = "open"
	TicketInProgress = "in_progress"
	TicketWaiting    = "waiting"
	TicketResolved   = "resolved"
	TicketClosed     = "closed"
)

// Ticket priorities.
const (
	PriorityLow    = "low"
	PriorityNormal = "normal"
	PriorityHigh   = "high"
	PriorityUrgent = "urgent"
)

// TicketStatuses returns the ticket statuses in workflow order.
func TicketStatuses() []string {
	return []string{TicketOpen, TicketInProgress, TicketWaiting, TicketResolved, TicketClosed}
}

// OpenTicketStatuses returns the statuses of tickets that still need work.
func OpenTicketStatuses() []string { return []string{TicketOpen, TicketInProgress, TicketWaiting} }

// TicketPriorities returns the priorities from low to urgent.
func TicketPriorities() []string {
	return []string{PriorityLow, PriorityNormal, PriorityHigh, PriorityUrgent}
}

// Who owes a ticket's next answer.
const (
	WaitingOnUs     = "us"     // the agency
	WaitingOnClient = "client" // the client
)

// Ticket is a support request; Number counts per workspace from 1.
type Ticket struct {
	bun.BaseModel `bun:"table:tickets" json:"-"`

	ID          string    `bun:"id,pk" json:"id"`
	AgencyID    string    `bun:"agency_id" json:"-"`
	WorkspaceID string    `bun:"workspace_id" json:"-"`
	Number      int       `bun:"number" json:"number"`
	Subject     string    `bun:"subject" json:"subject"`
	Body        string    `bun:"body" json:"body"`
	Status      string    `bun:"status" json:"status"`
	Priority    string    `bun:"priority" json:"priority"`
	FromClient  bool      `bun:"from_client" json:"from_client"`
	AuthorID    string    `bun:"author_id" json:"-"`
	AuthorName  string    `bun:"author_name" json:"author_name"`
	AssigneeID  string    `bun:"assignee_id" json:"assignee_id"` // a staff member, "" for none
	WaitingOn   string    `bun:"waiting_on" json:"waiting_on"`   // WaitingOnUs or WaitingOnClient
	CreatedAt   time.Time `bun:"created_at" json:"created_at"`
	UpdatedAt   time.Time `bun:"updated_at" json:"updated_at"`
}

// Scope is the scope the ticket was read in, with the given audience.
func (t *Ticket) Scope(a Audience) Scope {
	return Scope{AgencyID: t.AgencyID, WorkspaceID: t.WorkspaceID, Audience: a}
}

// TicketInput is a new ticket: a subject (1–200 characters), an optional
// body and a priority (default normal).
type TicketInput struct {
	Subject  string `json:"subject"`
	Body     string `json:"body"`
	Priority string `json:"priority"`
}

// TicketPatch changes the fields that are not nil.
type TicketPatch struct {
	Status   *string `json:"status"`
	Priority *string `json:"priority"`
}

// Tickets lists the scope's tickets, newest first, of one status ("" for all).
func (s *Store) Tickets(ctx context.Context, sc Scope, status string, opt ListOptions) (Page[Ticket], error) {
	page := Page[Ticket]{Items: []Ticket{}}
	if err := sc.check(); err != nil {
		return page, fmt.Errorf("workspace: tickets: %w", err)
	}
	if status != "" {
		if _, err := oneOf("status", field.InvalidStatus, status, TicketStatuses()); err != nil {
			return page, err
		}
	}
	before, err := idCursor(opt.Cursor)
	if err != nil {
		return page, err
	}
	limit := opt.limit()
	q := s.db.NewSelect().Model(&page.Items).Where("agency_id = ? AND workspace_id = ?", sc.AgencyID, sc.WorkspaceID)
	if status != "" {
		q = q.Where("status = ?", status)
	}
	if before != "" {
		q = q.Where("id < ?", before)
	}
	if err := q.Order("id DESC").Limit(int64(limit + 1)).Scan(ctx); err != nil {
		return page, fmt.Errorf("workspace: tickets of %s: %w", sc, store.Translate(err))
	}
	if len(page.Items) > limit {
		page.Items = page.Items[:limit]
		page.Next = encodeCursor(page.Items[limit-1].ID)
	}
	return page, nil
}

// Ticket returns one ticket of the scope.
func (s *Store) Ticket(ctx context.Context, sc Scope, id string) (*Ticket, error) {
	if err := sc.checkID(id); err != nil {
		return nil, fmt.Errorf("workspace: ticket %q: %w", id, err)
	}
	return ticketByID(ctx, s.db, sc, id)
}

func ticketByID(ctx context.Context, db bun.IDB, sc Scope, id string) (*Ticket, error) {
	t := new(Ticket)
	err := db.NewSelect().Model(t).Where("agency_id = ? AND workspace_id = ? AND id = ?", sc.AgencyID, sc.WorkspaceID, id).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("workspace: ticket %s: %w", id, store.Translate(err))
	}
	return t, nil
}

// CreateTicket opens a ticket. Its number is taken from the workspace's
// counter by one UPDATE … RETURNING in the same transaction as the insert,
// so concurrent creates never share a number and a failed create leaves no
// gap. FromClient is set when the actor is a client.
func (s *Store) CreateTicket(ctx context.Context, sc Scope, a Actor, in TicketInput) (*Ticket, error) {
	if err := sc.check(); err != nil {
		return nil, fmt.Errorf("workspace: create ticket: %w", err)
	}
	var err error
	t := &Ticket{AgencyID: sc.AgencyID, WorkspaceID: sc.WorkspaceID, Status: TicketOpen}
	if t.Subject, err = line("subject", in.Subject, true, maxTitle); err != nil {
		return nil, err
	}
	if t.Body, err = text("body", in.Body, false, maxBody); err != nil {
		return nil, err
	}
	if in.Priority == "" {
		in.Priority = PriorityNormal
	}
	if t.Priority, err = oneOf("priority", field.InvalidPriority, in.Priority, TicketPriorities()); err != nil {
		return nil, err
	}
	t.FromClient = a.Kind == ActorClient || !sc.IsStaff()
	t.AuthorID, t.AuthorName = clean(a.ID), a.name()
	err = s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if t.Number, err = nextTicketNumber(ctx, tx, sc); err != nil {
			return err
		}
		now := store.Now()
		t.ID, t.CreatedAt, t.UpdatedAt = store.NewID(), now, now
		if _, err := tx.NewInsert().Model(t).Exec(ctx); err != nil {
			return store.Translate(err)
		}
		return record(ctx, tx, sc, a, entry{VerbTicketCreated, SubjectTicket, t.ID, t.Subject, VisibilityClient})
	})
	if err != nil {
		return nil, fmt.Errorf("workspace: create ticket in %s: %w", sc, err)
	}
	return t, nil
}

// nextTicketNumber takes the next number of the scope's workspace. The row
// lock of the UPDATE serializes concurrent creates on PostgreSQL; SQLite
// serializes writers anyway. No row means the workspace is not the agency's.
func nextTicketNumber(ctx context.Context, db bun.IDB, sc Scope) (int, error) {
	var n int
	err := db.NewUpdate().Table("workspaces").
		Set("next_ticket_number = next_ticket_number + 1").
		Where("agency_id = ? AND id = ?", sc.AgencyID, sc.WorkspaceID).
		Returning("next_ticket_number - 1").Scan(ctx, &n)
	if err != nil {
		return 0, fmt.Errorf("ticket number of workspace %s: %w", sc.WorkspaceID, store.Translate(err))
	}
	return int(n), nil
}

// UpdateTicket changes a ticket's status or priority. A status change is
// shown to the client (ticket.status_changed); a priority change is the
// team's business (internal). Client scopes are refused (store.ErrNotFound).
func (s *Store) UpdateTicket(ctx context.Context, sc Scope, a Actor, id string, in TicketPatch) (*Ticket, error) {
	if err := sc.checkStaff(); err != nil {
		return nil, fmt.Errorf("workspace: update ticket %q: %w", id, err)
	}
	if !store.ValidID(id) {
		return nil, fmt.Errorf("workspace: update ticket %q: %w", id, store.ErrNotFound)
	}
	var t *Ticket
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if t, err = ticketByID(ctx, tx, sc, id); err != nil {
			return err
		}
		before := *t
		if in.Status != nil {
			if t.Status, err = oneOf("status", field.InvalidStatus, *in.Status, TicketStatuses()); err != nil {
				return err
			}
		}
		if in.Priority != nil {
			if t.Priority, err = oneOf("priority", field.InvalidPriority, *in.Priority, TicketPriorities()); err != nil {
				return err
			}
		}
		if t.Status == before.Status && t.Priority == before.Priority {
			return nil
		}
		t.UpdatedAt = store.Now()
		res, err := tx.NewUpdate().Model(t).Column("status", "priority", "updated_at").
			Where("agency_id = ? AND workspace_id = ? AND id = ?", sc.AgencyID, sc.WorkspaceID, id).Exec(ctx)
		if err != nil {
			return store.Translate(err)
		}
		if err := affected(res); err != nil {
			return err
		}
		if t.Status != before.Status {
			if err := record(ctx, tx, sc, a, entry{VerbTicketStatusChanged, SubjectTicket, t.ID, t.Subject, VisibilityClient}); err != nil {
				return err
			}
		}
		if t.Priority != before.Priority {
			return record(ctx, tx, sc, a, entry{VerbTicketPriorityChanged, SubjectTicket, t.ID, t.Subject, VisibilityInternal})
		}
		return nil
	})
	if err != nil {
		return nil, wrapErr(err, "workspace: update ticket %s", id)
	}
	return t, nil
}

// CountOpenTickets counts the scope's tickets that still need work (open,
// in progress or waiting).
func (s *Store) CountOpenTickets(ctx context.Context, sc Scope) (int, error) {
	if err := sc.check(); err != nil {
		return 0, fmt.Errorf("workspace: count open tickets: %w", err)
	}
	n, err := s.db.NewSelect().Model((*Ticket)(nil)).
		Where("agency_id = ? AND workspace_id = ?", sc.AgencyID, sc.WorkspaceID).
		Where("status IN (?)", bun.List(OpenTicketStatuses())).Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("workspace: count open tickets of %s: %w", sc, store.Translate(err))
	}
	return int(n), nil
}
