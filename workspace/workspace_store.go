package workspace

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"workrate/store"
)

// Workspace is one client's workspace in an agency.
type Workspace struct {
	bun.BaseModel `bun:"table:workspaces" json:"-"`

	ID           string    `bun:"id,pk" json:"id"`
	AgencyID     string    `bun:"agency_id" json:"-"`
	Name         string    `bun:"name" json:"name"`
	ContactEmail string    `bun:"contact_email" json:"contact_email"`
	CreatedAt    time.Time `bun:"created_at" json:"created_at"`
	UpdatedAt    time.Time `bun:"updated_at" json:"updated_at"`
	// DataVersion moves on, by a database trigger, with every write to the
	// workspace's content (tasks, tickets, comments, messages, invoices,
	// notes, activity): what is cached under one version is still true.
	// The application never writes it (scanonly: bun leaves it out of
	// inserts and updates); Workspace reads it.
	DataVersion int64 `bun:"data_version,scanonly" json:"-"`
}

// StaffScope is the agency team's scope on this workspace.
func (w *Workspace) StaffScope() Scope { return StaffScope(w.AgencyID, w.ID) }

// ClientScope is the portal client's scope on this workspace.
func (w *Workspace) ClientScope() Scope { return ClientScope(w.AgencyID, w.ID) }

// WorkspaceInput is what staff enter for a workspace: a name (1–120
// characters) and an optional contact email.
type WorkspaceInput struct {
	Name         string `json:"name"`
	ContactEmail string `json:"contact_email"`
}

func (in WorkspaceInput) validate() (WorkspaceInput, error) {
	var err error
	if in.Name, err = line("name", in.Name, true, maxName); err != nil {
		return in, err
	}
	if in.ContactEmail, err = email("contact_email", in.ContactEmail); err != nil {
		return in, err
	}
	return in, nil
}

// CreateWorkspace adds a workspace to the agency.
func (s *Store) CreateWorkspace(ctx context.Context, agencyID string, actor Actor, in WorkspaceInput) (*Workspace, error) {
	if !store.ValidID(agencyID) {
		return nil, fmt.Errorf("workspace: create workspace: agency %q: %w", agencyID, store.ErrNotFound)
	}
	in, err := in.validate()
	if err != nil {
		return nil, err
	}
	now := store.Now()
	w := &Workspace{ID: store.NewID(), AgencyID: agencyID, Name: in.Name, ContactEmail: in.ContactEmail, CreatedAt: now, UpdatedAt: now}
	err = s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(w).Exec(ctx); err != nil {
			return store.Translate(err)
		}
		return record(ctx, tx, w.StaffScope(), actor, entry{VerbWorkspaceCreated, SubjectWorkspace, w.ID, w.Name, VisibilityInternal})
	})
	if err != nil {
		return nil, fmt.Errorf("workspace: create workspace in agency %s: %w", agencyID, err)
	}
	return w, nil
}

// Workspace returns one workspace of the agency.
func (s *Store) Workspace(ctx context.Context, agencyID, id string) (*Workspace, error) {
	if !store.ValidID(agencyID) || !store.ValidID(id) {
		return nil, fmt.Errorf("workspace: workspace %q: %w", id, store.ErrNotFound)
	}
	return workspaceByID(ctx, s.db, agencyID, id)
}

func workspaceByID(ctx context.Context, db bun.IDB, agencyID, id string) (*Workspace, error) {
	w := new(Workspace)
	// data_version is scan-only: named here to be read.
	if err := db.NewSelect().Model(w).ColumnExpr("?TableColumns, ?TableAlias.data_version").Where("agency_id = ? AND id = ?", agencyID, id).Scan(ctx); err != nil {
		return nil, fmt.Errorf("workspace: workspace %s: %w", id, store.Translate(err))
	}
	return w, nil
}

// Workspaces lists the agency's workspaces by name, those whose name
// contains query (case-insensitive; "" lists all).
//
// On SQLite the comparison folds ASCII letters only (its LOWER); PostgreSQL
// folds every letter.
func (s *Store) Workspaces(ctx context.Context, agencyID string, query string, opt ListOptions) (Page[Workspace], error) {
	page := Page[Workspace]{Items: []Workspace{}}
	if !store.ValidID(agencyID) {
		return page, fmt.Errorf("workspace: workspaces of agency %q: %w", agencyID, store.ErrNotFound)
	}
	after, err := decodeCursor(opt.Cursor, 2)
	if err != nil {
		return page, err
	}
	limit := opt.limit()
	q := s.db.NewSelect().Model(&page.Items).Where("agency_id = ?", agencyID)
	if query = strings.ToLower(clean(query)); query != "" {
		q = q.Where("LOWER(name) LIKE ? ESCAPE '\\'", "%"+escapeLike(query)+"%")
	}
	if after != nil {
		q = q.Where("(name > ? OR (name = ? AND id > ?))", after[0], after[0], after[1])
	}
	if err := q.Order("name", "id").Limit(int64(limit + 1)).Scan(ctx); err != nil {
		return page, fmt.Errorf("workspace: workspaces of agency %s: %w", agencyID, store.Translate(err))
	}
	if len(page.Items) > limit {
		page.Items = page.Items[:limit]
		last := page.Items[limit-1]
		page.Next = encodeCursor(last.Name, last.ID)
	}
	return page, nil
}

// escapeLike escapes the LIKE wildcards of s with a backslash.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// UpdateWorkspace renames a workspace or changes its contact email.
func (s *Store) UpdateWorkspace(ctx context.Context, agencyID, id string, actor Actor, in WorkspaceInput) (*Workspace, error) {
	if !store.ValidID(agencyID) || !store.ValidID(id) {
		return nil, fmt.Errorf("workspace: update workspace %q: %w", id, store.ErrNotFound)
	}
	in, err := in.validate()
	if err != nil {
		return nil, err
	}
	var w *Workspace
	err = s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewUpdate().Model((*Workspace)(nil)).
			Set("name = ?", in.Name).Set("contact_email = ?", in.ContactEmail).Set("updated_at = ?", store.Now()).
			Where("agency_id = ? AND id = ?", agencyID, id).Exec(ctx)
		if err != nil {
			return store.Translate(err)
		}
		if err := affected(res); err != nil {
			return err
		}
		if w, err = workspaceByID(ctx, tx, agencyID, id); err != nil {
			return err
		}
		return record(ctx, tx, w.StaffScope(), actor, entry{VerbWorkspaceUpdated, SubjectWorkspace, w.ID, w.Name, VisibilityInternal})
	})
	if err != nil {
		return nil, fmt.Errorf("workspace: update workspace %s: %w", id, err)
	}
	return w, nil
}

// CountWorkspaces counts the agency's workspaces.
func (s *Store) CountWorkspaces(ctx context.Context, agencyID string) (int, error) {
	if !store.ValidID(agencyID) {
		return 0, nil
	}
	n, err := s.db.NewSelect().Model((*Workspace)(nil)).Where("agency_id = ?", agencyID).Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("workspace: count workspaces of agency %s: %w", agencyID, store.Translate(err))
	}
	return int(n), nil
}
