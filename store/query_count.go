package store

import (
	"context"
	"sync/atomic"

	"github.com/uptrace/bun"
)

// QueryCounter is a bun.QueryHook that counts the queries run on a database:
// all of them (Total) and, separately, those run with a context made by
// CountQueries. Attach it with db = db.WithQueryHook(&store.QueryCounter{}); tests use
// it to fail on an N+1 (a page whose query count grows with the data).
type QueryCounter struct {
	total atomic.Int64
}

// queryCountKey carries a per-request counter in a context.
type queryCountKey struct{}

// CountQueries returns a context under which every query run on a database
// holding a QueryCounter hook is counted into the returned counter.
func CountQueries(ctx context.Context) (context.Context, *atomic.Int64) {
	n := new(atomic.Int64)
	return context.WithValue(ctx, queryCountKey{}, n), n
}

// Total is the number of queries run on the database since the hook was added.
func (q *QueryCounter) Total() int64 { return q.total.Load() }

// BeforeQuery counts the query.
func (q *QueryCounter) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context {
	q.total.Add(1)
	if n, ok := ctx.Value(queryCountKey{}).(*atomic.Int64); ok {
		n.Add(1)
	}
	return ctx
}

// AfterQuery does nothing.
func (q *QueryCounter) AfterQuery(context.Context, *bun.QueryEvent) {}
