// Package mail sends the platform's e-mail: composing (per language, branded,
// text and HTML), the outbox that every message passes through, the workers
// that deliver it over SMTP, and agencies' sender domains with their DKIM keys.
// It knows no HTTP.
package mail

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"workrate/store"
)

// Outbox statuses.
const (
	StatusQueued = "queued" // waiting for a worker (or for SMTP to be configured)
	StatusSent   = "sent"
	StatusFailed = "failed" // refused for good (5xx); LastError says why
)

// Message is one e-mail in the outbox. Header fields are stored as plain
// values (no CR, LF or other control characters are ever written into a
// header from them: the sender encodes each as one header value).
type Message struct {
	bun.BaseModel `bun:"table:mail_outbox"`

	ID          string `bun:"id,pk"`
	AgencyID    string `bun:"agency_id"`    // "" for the platform's own mail
	WorkspaceID string `bun:"workspace_id"` // "" when not about a workspace
	EventID     string `bun:"event_id"`     // the event it tells of, "" for direct mail
	Kind        string `bun:"kind"`         // what it is: an event kind, "onboarding", "digest"…
	To          string `bun:"to_addr"`
	ToName      string `bun:"to_name"`
	FromName    string `bun:"from_name"` // the display name: the agency's brand name
	ReplyTo     string `bun:"reply_to"`
	Subject     string `bun:"subject"`
	Text        string `bun:"text_body"`
	HTML        string `bun:"html_body"`
	// UnsubscribeURL is the one-click unsubscribe address (RFC 8058), "" for
	// mail a person cannot opt out of (onboarding, invitations).
	UnsubscribeURL string     `bun:"unsubscribe_url"`
	MessageID      string     `bun:"message_id"` // "<id@domain>", fixed at Enqueue
	Status         string     `bun:"status"`
	Attempts       int        `bun:"attempts"`
	NextAt         time.Time  `bun:"next_at"`
	LastError      string     `bun:"last_error"`
	CreatedAt      time.Time  `bun:"created_at"`
	SentAt         *time.Time `bun:"sent_at"`
}

// Enqueue writes m to the outbox with db (the transaction that decided to
// send it). domain is the right-hand side of its Message-ID: the host its
// links point to (the agency's domain), or a neutral name, never the
// platform's name for a white-label agency.
func Enqueue(ctx context.Context, db bun.IDB, m *Message, domain string) error {
	if m.To == "" || m.Kind == "" || m.Subject == "" || m.Text == "" {
		return fmt.Errorf("mail: enqueue %q: recipient, kind, subject and text are required", m.Kind)
	}
	domain = strings.Trim(strings.ToLower(domain), ".")
	if domain == "" || strings.ContainsAny(domain, "<>@ \r\n\t") {
		domain = "mail.invalid"
	}
	m.ID, m.CreatedAt = store.NewID(), store.Now()
	m.NextAt, m.Status = m.CreatedAt, StatusQueued
	m.MessageID = "<" + m.ID + "@" + domain + ">"
	if _, err := db.NewInsert().Model(m).Exec(ctx); err != nil {
		return fmt.Errorf("mail: enqueue %s: %w", m.Kind, store.Translate(err))
	}
	return nil
}
