package workspace

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/uptrace/bun"

	"workrate/store"
)

// Message is one post in a workspace's thread between the agency and its client.
type Message struct {
	bun.BaseModel `bun:"table:messages" json:"-"`

	ID          string    `bun:"id,pk" json:"id"`
	AgencyID    string    `bun:"agency_id" json:"-"`
	WorkspaceID string    `bun:"workspace_id" json:"-"`
	AuthorKind  string    `bun:"author_kind" json:"author_kind"`
	AuthorID    string    `bun:"author_id" json:"author_id"`
	AuthorName  string    `bun:"author_name" json:"author_name"`
	Body        string    `bun:"body" json:"body"`
	CreatedAt   time.Time `bun:"created_at" json:"created_at"`
}

// Messages returns a page of the thread: the newest page first, and within
// a page the items oldest to newest, as a thread reads. Next leads to older
// messages.
func (s *Store) Messages(ctx context.Context, sc Scope, opt ListOptions) (Page[Message], error) {
	page := Page[Message]{Items: []Message{}}
	if err := sc.check(); err != nil {
		return page, fmt.Errorf("workspace: messages: %w", err)
	}
	before, err := idCursor(opt.Cursor)
	if err != nil {
		return page, err
	}
	limit := opt.limit()
	q := s.db.NewSelect().Model(&page.Items).Where("agency_id = ? AND workspace_id = ?", sc.AgencyID, sc.WorkspaceID)
	if before != "" {
		q = q.Where("id < ?", before)
	}
	if err := q.Order("id DESC").Limit(int64(limit + 1)).Scan(ctx); err != nil {
		return page, fmt.Errorf("workspace: messages of %s: %w", sc, store.Translate(err))
	}
	if len(page.Items) > limit {
		page.Items = page.Items[:limit]
		page.Next = encodeCursor(page.Items[limit-1].ID)
	}
	slices.Reverse(page.Items)
	return page, nil
}

// PostMessage adds a message to the thread; clients may post too.
func (s *Store) PostMessage(ctx context.Context, sc Scope, a Actor, body string) (*Message, error) {
	if err := sc.check(); err != nil {
		return nil, fmt.Errorf("workspace: post message: %w", err)
	}
	body, err := text("body", body, true, maxBody)
	if err != nil {
		return nil, err
	}
	m := &Message{
		ID: store.NewID(), AgencyID: sc.AgencyID, WorkspaceID: sc.WorkspaceID,
		AuthorKind: a.kind(), AuthorID: clean(a.ID), AuthorName: a.name(), Body: body, CreatedAt: store.Now(),
	}
	err = s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if err := ensureWorkspace(ctx, tx, sc); err != nil {
			return err
		}
		if _, err := tx.NewInsert().Model(m).Exec(ctx); err != nil {
			return store.Translate(err)
		}
		// Every message is visible to the client, so its opening words may be the summary.
		return record(ctx, tx, sc, a, entry{VerbMessagePosted, SubjectMessage, m.ID, m.Body, VisibilityClient})
	})
	if err != nil {
		return nil, fmt.Errorf("workspace: post message in %s: %w", sc, err)
	}
	return m, nil
}
