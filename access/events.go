package access

import (
	"context"
	"slices"
	"time"

	"workrate/auth"
)

// Event is one line of a workspace's portal history: a sign-in attempt
// (Type "login") or a change of access (Type "change"), newest first.
type Event struct {
	Type string    `json:"type"`
	At   time.Time `json:"at"`
	// Sign-in attempts.
	Email   string `json:"email,omitempty"`
	Success *bool  `json:"success,omitempty"`
	Reason  string `json:"reason,omitempty"` // auth.Reason*
	Host    string `json:"host,omitempty"`
	IP      string `json:"ip,omitempty"`
	// Changes of access.
	Action    string `json:"action,omitempty"` // Action*
	Detail    string `json:"detail,omitempty"`
	ActorKind string `json:"actor_kind,omitempty"`
	ActorName string `json:"actor_name,omitempty"`
}

// Event types.
const (
	EventLogin  = "login"
	EventChange = "change"
)

// Attempts returns a workspace's recent sign-in attempts, newest first.
func (s *Service) Attempts(ctx context.Context, agencyID, workspaceID string, limit int) ([]auth.Attempt, error) {
	return s.auth.AttemptsOf(ctx, agencyID, workspaceID, limit)
}

// Changes returns a workspace's recent changes of access, newest first.
func (s *Service) Changes(ctx context.Context, agencyID, workspaceID string, limit int) ([]auth.PortalEvent, error) {
	return s.auth.PortalEventsOf(ctx, agencyID, workspaceID, limit)
}

// Events returns a workspace's sign-in attempts and changes of access
// together, newest first, at most limit.
func (s *Service) Events(ctx context.Context, agencyID, workspaceID string, limit int) ([]Event, error) {
	attempts, err := s.Attempts(ctx, agencyID, workspaceID, limit)
	if err != nil {
		return nil, err
	}
	changes, err := s.Changes(ctx, agencyID, workspaceID, limit)
	if err != nil {
		return nil, err
	}
	out := make([]Event, 0, len(attempts)+len(changes))
	for _, a := range attempts {
		ok := a.Success
		out = append(out, Event{Type: EventLogin, At: a.CreatedAt, Email: a.Email, Success: &ok, Reason: a.Reason, Host: a.Host, IP: a.IP})
	}
	for _, c := range changes {
		out = append(out, Event{Type: EventChange, At: c.CreatedAt, Action: c.Action, Detail: c.Detail, ActorKind: c.ActorKind, ActorName: c.ActorName})
	}
	slices.SortStableFunc(out, func(x, y Event) int { return y.At.Compare(x.At) })
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}
