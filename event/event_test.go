package event_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/uptrace/bun"

	"workrate/event"
	"workrate/fixture"
	"workrate/migrations/testdb"
	"workrate/store"
	"workrate/workspace"
)

var ctx = context.Background()

// recorder is a consumer that keeps the events it was handed.
type recorder struct {
	mu   sync.Mutex
	seen []event.Event
	fail func(*event.Event) error
}

func (r *recorder) Name() string { return "recorder" }

func (r *recorder) Handle(_ context.Context, _ bun.IDB, e *event.Event) error {
	if r.fail != nil {
		if err := r.fail(e); err != nil {
			return err
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.seen = append(r.seen, *e)
	return nil
}

func (r *recorder) kinds() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, e := range r.seen {
		out = append(out, e.Kind+"/"+e.Audience)
	}
	return out
}

// drain dispatches until nothing is due.
func drain(t *testing.T, d *event.Dispatcher) int {
	t.Helper()
	total := 0
	for {
		n, err := d.RunOnce(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return total
		}
		total += n
	}
}

func TestChangesWriteTheirEventInTheirTransaction(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			fx := fixture.New(t, db.DB)
			r := &recorder{}
			d := &event.Dispatcher{DB: db.DB, Consumers: []event.Consumer{r}}
			drain(t, d) // the fixture's own events
			r.seen = nil

			w := fx.A1
			tk := fx.Ticket(w, "Banner looks wrong")
			fx.Comment(tk, "internal thoughts", true)
			fx.Message(w, "hello")
			// A change that fails writes neither its row nor its event.
			if _, err := fx.Store.CreateTicket(ctx, w.ClientScope(), w.ClientActor(), workspace.TicketInput{Subject: ""}); err == nil {
				t.Fatal("a ticket without subject was created")
			}
			if n := drain(t, d); n != 3 {
				t.Fatalf("dispatched %d events, want 3: %v", n, r.kinds())
			}
			want := []string{"ticket.created/client", "ticket.internal_comment/staff", "message.posted/client"}
			if got := r.kinds(); !slices.Equal(got, want) {
				t.Fatalf("events %v, want %v", got, want)
			}
			if e := r.seen[0]; e.AgencyID != fx.A.ID || e.WorkspaceID != w.ID || e.SubjectID != tk.ID || e.Summary != "Banner looks wrong" {
				t.Fatalf("ticket event %+v", e)
			}
			if n := drain(t, d); n != 0 {
				t.Fatalf("dispatched %d events twice", n)
			}
		})
	}
}

func TestFailingConsumerBacksOffOneEventOnly(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			fx := fixture.New(t, db.DB)
			r := &recorder{}
			d := &event.Dispatcher{DB: db.DB, Consumers: []event.Consumer{r}, MaxAttempts: 2}
			drain(t, d)
			r.seen = nil
			bad := fx.Message(fx.A1, "poison")
			fx.Message(fx.A1, "fine")
			r.fail = func(e *event.Event) error {
				if e.SubjectID == bad.ID {
					return errors.New("cannot handle this one")
				}
				return nil
			}
			if _, err := d.RunOnce(ctx); err == nil || !strings.Contains(err.Error(), "cannot handle") {
				t.Fatalf("first round: %v", err)
			}
			// The other event goes on; the bad one waits for its back-off.
			if n := drain(t, d); n != 1 || len(r.seen) != 1 || r.seen[0].SubjectID == bad.ID {
				t.Fatalf("after a failure: %d dispatched, %v", n, r.kinds())
			}
			var e event.Event
			if err := db.NewSelect().Model(&e).Where("subject_id = ?", bad.ID).Scan(ctx); err != nil {
				t.Fatal(err)
			}
			if e.Attempts != 1 || e.Dispatched != nil || !strings.Contains(e.LastError, "cannot handle") || !e.NextAt.After(store.Now()) {
				t.Fatalf("failed event %+v", e)
			}
			// Due again and failing again: set aside after MaxAttempts.
			if _, err := db.NewUpdate().Model((*event.Event)(nil)).Set("next_at = ?", store.Now()).Where("id = ?", e.ID).Exec(ctx); err != nil {
				t.Fatal(err)
			}
			if _, err := d.RunOnce(ctx); err == nil {
				t.Fatal("second failure not reported")
			}
			if err := db.NewSelect().Model(&e).Where("id = ?", e.ID).Scan(ctx); err != nil {
				t.Fatal(err)
			}
			if e.Attempts != 2 || e.Dispatched == nil {
				t.Fatalf("event not set aside after %d attempts: %+v", e.Attempts, e)
			}
		})
	}
}

func TestWriteRefusesAnEventWithoutAudience(t *testing.T) {
	db := testdb.SQLite(t)
	err := event.Write(ctx, db, &event.Event{AgencyID: "a", Kind: "x"}, nil)
	if err == nil {
		t.Fatal("an event without audience was written")
	}
}

// On PostgreSQL two dispatchers (two instances) racing over the same events
// hand each one on exactly once.
func TestTwoDispatchersHandEachEventOnce(t *testing.T) {
	db := testdb.Postgres(t)
	fx := fixture.New(t, db.DB)
	for i := range 60 {
		fx.Message(fx.A1, "m"+strings.Repeat("x", i))
	}
	var counts sync.Map
	count := &counter{m: &counts}
	var wg sync.WaitGroup
	for range 2 {
		d := &event.Dispatcher{DB: db.DB, Consumers: []event.Consumer{count}, Batch: 7}
		wg.Go(func() {
			for {
				n, err := d.RunOnce(ctx)
				if err != nil {
					t.Error(err)
					return
				}
				if n == 0 {
					return
				}
			}
		})
	}
	wg.Wait()
	total := 0
	counts.Range(func(k, v any) bool {
		total++
		if v.(int) != 1 {
			t.Errorf("event %v handed on %d times", k, v)
		}
		return true
	})
	written, err := db.NewSelect().Model((*event.Event)(nil)).Count(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if int64(total) != written {
		t.Fatalf("%d of %d events handed on", total, written)
	}
}

type counter struct {
	mu sync.Mutex
	m  *sync.Map
}

func (c *counter) Name() string { return "counter" }

func (c *counter) Handle(_ context.Context, _ bun.IDB, e *event.Event) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, _ := c.m.LoadOrStore(e.ID, 0)
	c.m.Store(e.ID, v.(int)+1)
	return nil
}
