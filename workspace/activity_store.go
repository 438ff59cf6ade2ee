package workspace

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"workrate/event"
	"workrate/store"
)

// Activity visibilities.
const (
	VisibilityClient   = "client"   // the client may see it in the portal
	VisibilityInternal = "internal" // the agency's team only
)

// Subject types of activity rows.
const (
	SubjectWorkspace = "workspace"
	SubjectTask      = "task"
	SubjectMessage   = "message"
	SubjectTicket    = "ticket"
	SubjectInvoice   = "invoice"
	SubjectNote      = "note"
)

// Activity verbs; pages show the message "activity.<verb>" with Summary as data.
const (
	VerbWorkspaceCreated      = "workspace.created"
	VerbWorkspaceUpdated      = "workspace.updated"
	VerbTaskCreated           = "task.created"
	VerbTaskUpdated           = "task.updated"
	VerbTaskMoved             = "task.moved"
	VerbTaskDeleted           = "task.deleted"
	VerbMessagePosted         = "message.posted"
	VerbTicketCreated         = "ticket.created"
	VerbTicketStatusChanged   = "ticket.status_changed"
	VerbTicketPriorityChanged = "ticket.priority_changed"
	VerbTicketCommented       = "ticket.commented"
	VerbTicketInternalComment = "ticket.internal_comment"
	VerbInvoiceCreated        = "invoice.created"
	VerbInvoiceUpdated        = "invoice.updated"
	VerbInvoiceSent           = "invoice.sent"
	VerbInvoicePaid           = "invoice.paid"
	VerbInvoiceVoided         = "invoice.voided"
	VerbNoteCreated           = "note.created"
	VerbNoteUpdated           = "note.updated"
	VerbNoteDeleted           = "note.deleted"
)

// Activity is one entry of a workspace's timeline. Summary is short plain
// text naming the subject (a task title, a ticket subject, an invoice
// number); a client-visible entry never carries internal content.
type Activity struct {
	bun.BaseModel `bun:"table:activity" json:"-"`

	ID          string    `bun:"id,pk" json:"id"`
	AgencyID    string    `bun:"agency_id" json:"-"`
	WorkspaceID string    `bun:"workspace_id" json:"-"`
	ActorKind   string    `bun:"actor_kind" json:"actor_kind"`
	ActorName   string    `bun:"actor_name" json:"actor_name"`
	Verb        string    `bun:"verb" json:"verb"`
	SubjectType string    `bun:"subject_type" json:"subject_type"`
	SubjectID   string    `bun:"subject_id" json:"subject_id"`
	Summary     string    `bun:"summary" json:"summary"`
	Visibility  string    `bun:"visibility" json:"visibility"`
	CreatedAt   time.Time `bun:"created_at" json:"created_at"`
}

// SubjectTool returns the tool that shows a subject type to a client, ""
// for subjects no tool shows (notes, the workspace itself).
func SubjectTool(subjectType string) Tool {
	switch subjectType {
	case SubjectTask:
		return ToolTasks
	case SubjectMessage:
		return ToolMessages
	case SubjectTicket:
		return ToolTickets
	case SubjectInvoice:
		return ToolInvoices
	}
	return ""
}

// Activity lists the scope's timeline, newest first, at most limit entries
// (default 20, at most 200). A client scope sees "client" entries only.
func (s *Store) Activity(ctx context.Context, sc Scope, limit int) ([]Activity, error) {
	return s.activity(ctx, sc, nil, limit)
}

// ActivityFor is Activity restricted to the subjects of the given tools, for
// a client's dashboard: a tool the client may not see leaves no trace there.
func (s *Store) ActivityFor(ctx context.Context, sc Scope, tools []Tool, limit int) ([]Activity, error) {
	types := []string{}
	for _, st := range []string{SubjectTask, SubjectMessage, SubjectTicket, SubjectInvoice} {
		if HasTool(tools, SubjectTool(st)) {
			types = append(types, st)
		}
	}
	if len(types) == 0 {
		if err := sc.check(); err != nil {
			return nil, fmt.Errorf("workspace: activity: %w", err)
		}
		return []Activity{}, nil
	}
	return s.activity(ctx, sc, types, limit)
}

func (s *Store) activity(ctx context.Context, sc Scope, types []string, limit int) ([]Activity, error) {
	if err := sc.check(); err != nil {
		return nil, fmt.Errorf("workspace: activity: %w", err)
	}
	if limit <= 0 {
		limit = 20
	}
	limit = min(limit, MaxLimit)
	out := []Activity{}
	q := s.db.NewSelect().Model(&out).
		Where("agency_id = ? AND workspace_id = ?", sc.AgencyID, sc.WorkspaceID)
	if !sc.IsStaff() {
		q = q.Where("visibility = ?", VisibilityClient)
	}
	if types != nil {
		q = q.Where("subject_type IN (?)", bun.List(types))
	}
	// created_at first: ids of one millisecond are not ordered among themselves.
	if err := q.Order("created_at DESC", "id DESC").Limit(int64(limit)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("workspace: activity of %s: %w", sc, store.Translate(err))
	}
	return out, nil
}

// entry is what a write tells record about itself.
type entry struct {
	verb, subjectType, subjectID, summary, visibility string
}

// record writes one activity entry and its event (the event stream's row,
// for notifications, e-mail and webhooks) with db, which is the write's
// transaction.
func record(ctx context.Context, db bun.IDB, sc Scope, a Actor, e entry) error {
	act := &Activity{
		ID:          store.NewID(),
		AgencyID:    sc.AgencyID,
		WorkspaceID: sc.WorkspaceID,
		ActorKind:   a.kind(),
		ActorName:   a.name(),
		Verb:        e.verb,
		SubjectType: e.subjectType,
		SubjectID:   e.subjectID,
		Summary:     summarize(e.summary),
		Visibility:  e.visibility,
		CreatedAt:   store.Now(),
	}
	if _, err := db.NewInsert().Model(act).Exec(ctx); err != nil {
		return fmt.Errorf("record activity %s: %w", e.verb, store.Translate(err))
	}
	audience := event.AudienceClient
	if e.visibility != VisibilityClient {
		audience = event.AudienceStaff
	}
	return event.Write(ctx, db, &event.Event{
		AgencyID: sc.AgencyID, WorkspaceID: sc.WorkspaceID, Kind: e.verb, Audience: audience,
		ActorKind: act.ActorKind, ActorID: clean(a.ID), ActorName: act.ActorName,
		SubjectType: e.subjectType, SubjectID: e.subjectID, Summary: act.Summary,
	}, nil)
}
