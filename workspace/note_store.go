package workspace

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"workrate/store"
)

// Note is a CRM note about the client. AgencyOnly notes (the default) are
// never shown to the client; the others appear in the portal.
type Note struct {
	bun.BaseModel `bun:"table:notes" json:"-"`

	ID          string    `bun:"id,pk" json:"id"`
	AgencyID    string    `bun:"agency_id" json:"-"`
	WorkspaceID string    `bun:"workspace_id" json:"-"`
	Body        string    `bun:"body" json:"body"`
	AgencyOnly  bool      `bun:"agency_only" json:"agency_only"`
	AuthorID    string    `bun:"author_id" json:"-"`
	AuthorName  string    `bun:"author_name" json:"author_name"`
	CreatedAt   time.Time `bun:"created_at" json:"created_at"`
	UpdatedAt   time.Time `bun:"updated_at" json:"updated_at"`
}

// Notes lists the scope's notes, newest first; a client scope sees only
// those that are not agency-only.
func (s *Store) Notes(ctx context.Context, sc Scope) ([]Note, error) {
	if err := sc.check(); err != nil {
		return nil, fmt.Errorf("workspace: notes: %w", err)
	}
	out := []Note{}
	q := s.db.NewSelect().Model(&out).Where("agency_id = ? AND workspace_id = ?", sc.AgencyID, sc.WorkspaceID)
	if !sc.IsStaff() {
		q = q.Where("agency_only = ?", false)
	}
	if err := q.Order("created_at DESC", "id DESC").Scan(ctx); err != nil {
		return nil, fmt.Errorf("workspace: notes of %s: %w", sc, store.Translate(err))
	}
	return out, nil
}

// Note returns one note of the scope; an agency-only note is
// store.ErrNotFound for a client scope.
func (s *Store) Note(ctx context.Context, sc Scope, id string) (*Note, error) {
	if err := sc.checkID(id); err != nil {
		return nil, fmt.Errorf("workspace: note %q: %w", id, err)
	}
	return noteByID(ctx, s.db, sc, id)
}

func noteByID(ctx context.Context, db bun.IDB, sc Scope, id string) (*Note, error) {
	n := new(Note)
	q := db.NewSelect().Model(n).Where("agency_id = ? AND workspace_id = ? AND id = ?", sc.AgencyID, sc.WorkspaceID, id)
	if !sc.IsStaff() {
		q = q.Where("agency_only = ?", false)
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("workspace: note %s: %w", id, store.Translate(err))
	}
	return n, nil
}

// CreateNote adds a note (internal activity). Client scopes are refused
// (store.ErrNotFound).
func (s *Store) CreateNote(ctx context.Context, sc Scope, a Actor, body string, agencyOnly bool) (*Note, error) {
	if err := sc.checkStaff(); err != nil {
		return nil, fmt.Errorf("workspace: create note: %w", err)
	}
	body, err := text("body", body, true, maxBody)
	if err != nil {
		return nil, err
	}
	now := store.Now()
	n := &Note{
		ID: store.NewID(), AgencyID: sc.AgencyID, WorkspaceID: sc.WorkspaceID, Body: body, AgencyOnly: agencyOnly,
		AuthorID: clean(a.ID), AuthorName: a.name(), CreatedAt: now, UpdatedAt: now,
	}
	err = s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if err := ensureWorkspace(ctx, tx, sc); err != nil {
			return err
		}
		if _, err := tx.NewInsert().Model(n).Exec(ctx); err != nil {
			return store.Translate(err)
		}
		return record(ctx, tx, sc, a, entry{VerbNoteCreated, SubjectNote, n.ID, n.Body, VisibilityInternal})
	})
	if err != nil {
		return nil, fmt.Errorf("workspace: create note in %s: %w", sc, err)
	}
	return n, nil
}

// UpdateNote changes a note's text and flag (internal activity). Client
// scopes are refused (store.ErrNotFound).
func (s *Store) UpdateNote(ctx context.Context, sc Scope, a Actor, id, body string, agencyOnly bool) (*Note, error) {
	if err := sc.checkStaff(); err != nil {
		return nil, fmt.Errorf("workspace: update note %q: %w", id, err)
	}
	if !store.ValidID(id) {
		return nil, fmt.Errorf("workspace: update note %q: %w", id, store.ErrNotFound)
	}
	body, err := text("body", body, true, maxBody)
	if err != nil {
		return nil, err
	}
	var n *Note
	err = s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewUpdate().Model((*Note)(nil)).
			Set("body = ?", body).Set("agency_only = ?", agencyOnly).Set("updated_at = ?", store.Now()).
			Where("agency_id = ? AND workspace_id = ? AND id = ?", sc.AgencyID, sc.WorkspaceID, id).Exec(ctx)
		if err != nil {
			return store.Translate(err)
		}
		if err := affected(res); err != nil {
			return err
		}
		if n, err = noteByID(ctx, tx, sc, id); err != nil {
			return err
		}
		return record(ctx, tx, sc, a, entry{VerbNoteUpdated, SubjectNote, n.ID, n.Body, VisibilityInternal})
	})
	if err != nil {
		return nil, fmt.Errorf("workspace: update note %s: %w", id, err)
	}
	return n, nil
}

// DeleteNote removes a note (internal activity). Client scopes are refused
// (store.ErrNotFound).
func (s *Store) DeleteNote(ctx context.Context, sc Scope, a Actor, id string) error {
	if err := sc.checkStaff(); err != nil {
		return fmt.Errorf("workspace: delete note %q: %w", id, err)
	}
	if !store.ValidID(id) {
		return fmt.Errorf("workspace: delete note %q: %w", id, store.ErrNotFound)
	}
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		n, err := noteByID(ctx, tx, sc, id)
		if err != nil {
			return err
		}
		res, err := tx.NewDelete().Model((*Note)(nil)).
			Where("agency_id = ? AND workspace_id = ? AND id = ?", sc.AgencyID, sc.WorkspaceID, id).Exec(ctx)
		if err != nil {
			return store.Translate(err)
		}
		if err := affected(res); err != nil {
			return err
		}
		return record(ctx, tx, sc, a, entry{VerbNoteDeleted, SubjectNote, n.ID, n.Body, VisibilityInternal})
	})
	if err != nil {
		return fmt.Errorf("workspace: delete note %s: %w", id, err)
	}
	return nil
}
