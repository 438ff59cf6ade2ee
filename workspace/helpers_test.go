package workspace_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"workrate/field"
	"workrate/fixture"
	"workrate/migrations/testdb"
	"workrate/store"
	"workrate/workspace"
)

var ctx = context.Background()

// each runs f on a fresh fixture on every test database.
func each(t *testing.T, f func(t *testing.T, fx *fixture.Fixture, s *workspace.Store)) {
	t.Helper()
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			fx := fixture.New(t, db.DB)
			f(t, fx, fx.Store)
		})
	}
}

// asJSON renders v as the API would, for marker searches.
func asJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// wantNotFound fails unless err is store.ErrNotFound.
func wantNotFound(t *testing.T, err error) {
	t.Helper()
	if !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("got %v, want store.ErrNotFound", err)
	}
}

// wantField fails unless err is a *field.Error with that field and code.
func wantField(t *testing.T, err error, name, code string) {
	t.Helper()
	var fe *field.Error
	if !errors.As(err, &fe) {
		t.Fatalf("got %v, want a field error %s/%s", err, name, code)
	}
	if fe.Field != name || fe.Code != code {
		t.Fatalf("got field error %s/%s, want %s/%s", fe.Field, fe.Code, name, code)
	}
}

func ptr[T any](v T) *T { return &v }

// count counts the rows of a table in a workspace.
func count(t *testing.T, s *workspace.Store, table, workspaceID string) int {
	t.Helper()
	n, err := s.DB().NewSelect().Table(table).Where("workspace_id = ?", workspaceID).Count(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}
