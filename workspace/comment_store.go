package workspace

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"workrate/store"
)

// Comment is a reply on a ticket; Internal ones are for the agency's team only.
type Comment struct {
	bun.BaseModel `bun:"table:ticket_comments" json:"-"`

	ID          string    `bun:"id,pk" json:"id"`
	AgencyID    string    `bun:"agency_id" json:"-"`
	WorkspaceID string    `bun:"workspace_id" json:"-"`
	TicketID    string    `bun:"ticket_id" json:"ticket_id"`
	AuthorKind  string    `bun:"author_kind" json:"author_kind"`
	AuthorID    string    `bun:"author_id" json:"-"`
	AuthorName  string    `bun:"author_name" json:"author_name"`
	Body        string    `bun:"body" json:"body"`
	Internal    bool      `bun:"internal" json:"internal"`
	CreatedAt   time.Time `bun:"created_at" json:"created_at"`
}

// Comments lists a ticket's comments, oldest first; a client's scope never
// returns internal ones. A ticket outside the scope is store.ErrNotFound.
func (s *Store) Comments(ctx context.Context, sc Scope, ticketID string) ([]Comment, error) {
	if err := sc.checkID(ticketID); err != nil {
		return nil, fmt.Errorf("workspace: comments of ticket %q: %w", ticketID, err)
	}
	if _, err := ticketByID(ctx, s.db, sc, ticketID); err != nil {
		return nil, fmt.Errorf("workspace: comments: %w", err)
	}
	out := []Comment{}
	q := s.db.NewSelect().Model(&out).
		Where("agency_id = ? AND workspace_id = ? AND ticket_id = ?", sc.AgencyID, sc.WorkspaceID, ticketID)
	if !sc.IsStaff() {
		q = q.Where("internal = ?", false)
	}
	if err := q.Order("created_at", "id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("workspace: comments of ticket %s: %w", ticketID, store.Translate(err))
	}
	return out, nil
}

// AddComment replies on a ticket of the scope. With a client scope the
// comment is never internal, whatever was asked. A public comment is
// client-visible activity; an internal one is internal activity. Either
// summary is the ticket's subject, never the comment's text.
func (s *Store) AddComment(ctx context.Context, sc Scope, a Actor, ticketID, body string, internal bool) (*Comment, error) {
	if err := sc.checkID(ticketID); err != nil {
		return nil, fmt.Errorf("workspace: comment on ticket %q: %w", ticketID, err)
	}
	body, err := text("body", body, true, maxBody)
	if err != nil {
		return nil, err
	}
	if !sc.IsStaff() {
		internal = false
	}
	c := &Comment{
		AgencyID: sc.AgencyID, WorkspaceID: sc.WorkspaceID, TicketID: ticketID,
		AuthorKind: a.kind(), AuthorID: clean(a.ID), AuthorName: a.name(), Body: body, Internal: internal,
	}
	err = s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		t, err := ticketByID(ctx, tx, sc, ticketID)
		if err != nil {
			return err
		}
		c.ID, c.CreatedAt = store.NewID(), store.Now()
		if _, err := tx.NewInsert().Model(c).Exec(ctx); err != nil {
			return store.Translate(err)
		}
		if _, err := tx.NewUpdate().Model((*Ticket)(nil)).Set("updated_at = ?", c.CreatedAt).
			Where("agency_id = ? AND workspace_id = ? AND id = ?", sc.AgencyID, sc.WorkspaceID, ticketID).Exec(ctx); err != nil {
			return store.Translate(err)
		}
		e := entry{VerbTicketCommented, SubjectTicket, t.ID, t.Subject, VisibilityClient}
		if internal {
			e.verb, e.visibility = VerbTicketInternalComment, VisibilityInternal
		}
		return record(ctx, tx, sc, a, e)
	})
	if err != nil {
		return nil, fmt.Errorf("workspace: comment on ticket %s: %w", ticketID, err)
	}
	return c, nil
}
