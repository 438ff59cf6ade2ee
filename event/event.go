// Package event is the product's event stream, a transactional outbox: a
// store method that changes data writes its event with Write through the same
// bun.IDB, so the change and its event commit or roll back together. Nothing
// is sent from inside a request: the Dispatcher claims written events and
// hands each to the consumers (in-app notifications, e-mail, webhooks).
package event

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"workrate/store"
)

// Audiences: who may learn of an event.
const (
	AudienceClient = "client" // the workspace's client may be told (and staff)
	AudienceStaff  = "staff"  // the agency's team only: never reaches a client
)

// Kinds of events. Workspace changes use the activity verbs of the workspace
// package (the same strings); the others are listed here.
const (
	KindTicketCreated         = "ticket.created"
	KindTicketStatusChanged   = "ticket.status_changed"
	KindTicketPriorityChanged = "ticket.priority_changed"
	KindTicketCommented       = "ticket.commented"
	KindTicketInternalComment = "ticket.internal_comment"
	KindMessagePosted         = "message.posted"
	KindTaskCreated           = "task.created"
	KindTaskUpdated           = "task.updated"
	KindTaskMoved             = "task.moved"
	KindTaskDeleted           = "task.deleted"
	KindInvoiceSent           = "invoice.sent"
	KindInvoicePaid           = "invoice.paid"
	KindPortalCreated         = "portal.access_created"
	KindPortalChanged         = "portal.access_changed"
	KindPortalReset           = "portal.password_reset"
	KindPortalRevoked         = "portal.access_revoked"
	KindDomainStatus          = "domain.status_changed"
	KindCertificateStatus     = "certificate.status_changed"
)

// Event is one row of the stream.
type Event struct {
	bun.BaseModel `bun:"table:events"`

	ID          string     `bun:"id,pk" json:"id"`
	AgencyID    string     `bun:"agency_id" json:"-"`
	WorkspaceID string     `bun:"workspace_id" json:"workspace_id,omitempty"`
	Kind        string     `bun:"kind" json:"kind"`
	Audience    string     `bun:"audience" json:"audience"`
	ActorKind   string     `bun:"actor_kind" json:"actor_kind,omitempty"`
	ActorID     string     `bun:"actor_id" json:"actor_id,omitempty"`
	ActorName   string     `bun:"actor_name" json:"actor_name,omitempty"`
	SubjectType string     `bun:"subject_type" json:"subject_type,omitempty"`
	SubjectID   string     `bun:"subject_id" json:"subject_id,omitempty"`
	Summary     string     `bun:"summary" json:"summary,omitempty"`
	Data        string     `bun:"data" json:"-"` // a JSON object; see Details
	CreatedAt   time.Time  `bun:"created_at" json:"created_at"`
	NextAt      time.Time  `bun:"next_at" json:"-"`
	Attempts    int        `bun:"attempts" json:"-"`
	LastError   string     `bun:"last_error" json:"-"`
	Dispatched  *time.Time `bun:"dispatched_at" json:"-"`
}

// Details decodes Data into v (a struct or a map).
func (e *Event) Details(v any) error {
	if e.Data == "" {
		return nil
	}
	if err := json.Unmarshal([]byte(e.Data), v); err != nil {
		return fmt.Errorf("event %s: details: %w", e.ID, err)
	}
	return nil
}

// ForClient reports whether the workspace's client may learn of e.
func (e *Event) ForClient() bool { return e.Audience == AudienceClient }

// maxSummary bounds the summary kept with an event (a title or a subject).
const maxSummary = 200

// Write adds e to the stream with db, which must be the transaction of the
// change e describes. details (may be nil) is stored as e's JSON data. Write
// fills ID, CreatedAt and NextAt; it refuses an event without agency, kind or
// a known audience, so a consumer never has to guess who may see it.
func Write(ctx context.Context, db bun.IDB, e *Event, details any) error {
	if e.AgencyID == "" || e.Kind == "" {
		return fmt.Errorf("event: %q without agency or kind", e.Kind)
	}
	if e.Audience != AudienceClient && e.Audience != AudienceStaff {
		return fmt.Errorf("event: %s with unknown audience %q", e.Kind, e.Audience)
	}
	e.Data = "{}"
	if details != nil {
		b, err := json.Marshal(details)
		if err != nil {
			return fmt.Errorf("event: %s details: %w", e.Kind, err)
		}
		e.Data = string(b)
	}
	e.Summary = cut(e.Summary, maxSummary)
	e.ID, e.CreatedAt = store.NewID(), store.Now()
	e.NextAt = e.CreatedAt
	if _, err := db.NewInsert().Model(e).Exec(ctx); err != nil {
		return fmt.Errorf("event: write %s: %w", e.Kind, store.Translate(err))
	}
	return nil
}

// cut shortens s to at most n bytes without splitting a character.
func cut(s string, n int) string {
	s = strings.TrimSpace(s)
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
