// Package workspace holds the data of a client workspace: the tasks board, the
// message thread, tickets and their comments, invoices and their lines, CRM
// notes and the activity timeline. Every read and write goes through a Scope,
// and every query filters on the scope's agency and workspace by itself.
package workspace

import (
	"fmt"

	"workrate/store"
)

// Audience says who is looking: clients never see internal rows.
type Audience int

// The two audiences. Any value other than Staff is treated as Client.
const (
	Staff Audience = iota
	Client
)

// String names the audience for logs and messages.
func (a Audience) String() string {
	if a == Staff {
		return "staff"
	}
	return "client"
}

// Scope is the only way into workspace data; every store method takes one.
type Scope struct {
	AgencyID    string
	WorkspaceID string
	Audience    Audience
}

// StaffScope is the agency team's view of a workspace: everything.
func StaffScope(agencyID, workspaceID string) Scope {
	return Scope{AgencyID: agencyID, WorkspaceID: workspaceID, Audience: Staff}
}

// ClientScope is a portal client's view of a workspace: nothing internal.
func ClientScope(agencyID, workspaceID string) Scope {
	return Scope{AgencyID: agencyID, WorkspaceID: workspaceID, Audience: Client}
}

// IsStaff reports whether the scope may see internal rows. Only the exact
// Staff audience does: an unknown value is as restricted as a client.
func (sc Scope) IsStaff() bool { return sc.Audience == Staff }

// String describes the scope for error messages.
func (sc Scope) String() string {
	return fmt.Sprintf("%s/%s (%s)", sc.AgencyID, sc.WorkspaceID, sc.Audience)
}

// check refuses a scope whose ids are not ids: such a scope matches nothing,
// so it is store.ErrNotFound without a query.
func (sc Scope) check() error {
	if !store.ValidID(sc.AgencyID) || !store.ValidID(sc.WorkspaceID) {
		return store.ErrNotFound
	}
	return nil
}

// checkStaff is check plus a refusal of client scopes, for writes that only
// the agency's team may make. A client is told "not found", like for a
// tool it may not see.
func (sc Scope) checkStaff() error {
	if err := sc.check(); err != nil {
		return err
	}
	if !sc.IsStaff() {
		return store.ErrNotFound
	}
	return nil
}

// checkID validates the scope and an id given by a caller.
func (sc Scope) checkID(id string) error {
	if err := sc.check(); err != nil {
		return err
	}
	if !store.ValidID(id) {
		return store.ErrNotFound
	}
	return nil
}
