package workspace_test

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"workrate/field"
	"workrate/fixture"
	"workrate/workspace"
)

func TestTicketLifecycle(t *testing.T) {
	each(t, func(t *testing.T, fx *fixture.Fixture, s *workspace.Store) {
		w := fx.A1
		sc, a := w.StaffScope(), w.StaffActor()
		fixtureTicket, err := s.Ticket(ctx, w.ClientScope(), w.TicketID)
		if err != nil {
			t.Fatal(err)
		}
		if fixtureTicket.Number != 1 || !fixtureTicket.FromClient || fixtureTicket.Priority != workspace.PriorityHigh ||
			fixtureTicket.Status != workspace.TicketOpen || fixtureTicket.AuthorName != "Client A1" {
			t.Errorf("fixture ticket %+v", fixtureTicket)
		}
		tk, err := s.CreateTicket(ctx, sc, a, workspace.TicketInput{Subject: "Staff ticket", Body: "details"})
		if err != nil {
			t.Fatal(err)
		}
		if tk.Number != 2 || tk.FromClient || tk.Priority != workspace.PriorityNormal || tk.Status != workspace.TicketOpen {
			t.Errorf("created %+v; want number 2, normal priority, open, not from client", tk)
		}
		// Numbers are per workspace: A2 and B1 start at 2 too (the fixture took 1).
		for _, o := range []*fixture.Workspace{fx.A2, fx.B1} {
			if got := fx.Ticket(o, "other"); got.Number != 2 {
				t.Errorf("%s ticket number %d, want 2", o.Key, got.Number)
			}
		}

		up, err := s.UpdateTicket(ctx, sc, a, tk.ID, workspace.TicketPatch{Status: ptr(workspace.TicketWaiting), Priority: ptr(workspace.PriorityUrgent)})
		if err != nil {
			t.Fatal(err)
		}
		if up.Status != workspace.TicketWaiting || up.Priority != workspace.PriorityUrgent || up.Number != 2 {
			t.Errorf("updated %+v", up)
		}
		_, err = s.UpdateTicket(ctx, sc, a, tk.ID, workspace.TicketPatch{Status: ptr("done")})
		wantField(t, err, "status", field.InvalidStatus)
		_, err = s.UpdateTicket(ctx, sc, a, tk.ID, workspace.TicketPatch{Priority: ptr("asap")})
		wantField(t, err, "priority", field.InvalidPriority)

		waiting, err := s.Tickets(ctx, sc, workspace.TicketWaiting, workspace.ListOptions{})
		if err != nil || len(waiting.Items) != 1 || waiting.Items[0].ID != tk.ID {
			t.Errorf("waiting tickets = %+v, %v", waiting.Items, err)
		}
		_, err = s.Tickets(ctx, sc, "bogus", workspace.ListOptions{})
		wantField(t, err, "status", field.InvalidStatus)
		if n, err := s.CountOpenTickets(ctx, sc); err != nil || n != 2 {
			t.Errorf("open tickets = %d, %v; want 2 (open + waiting)", n, err)
		}
		if _, err := s.UpdateTicket(ctx, sc, a, tk.ID, workspace.TicketPatch{Status: ptr(workspace.TicketResolved)}); err != nil {
			t.Fatal(err)
		}
		if n, _ := s.CountOpenTickets(ctx, sc); n != 1 {
			t.Errorf("open tickets after resolving = %d, want 1", n)
		}

		act, err := s.Activity(ctx, sc, 10)
		if err != nil {
			t.Fatal(err)
		}
		// Newest first: resolved (client), priority (internal), waiting (client), created (client).
		var got []string
		for _, e := range act {
			if e.SubjectID == tk.ID {
				got = append(got, e.Verb+"/"+e.Visibility)
				if e.Summary != "Staff ticket" {
					t.Errorf("summary %q, want the subject", e.Summary)
				}
			}
		}
		want := []string{"ticket.status_changed/client", "ticket.priority_changed/internal", "ticket.status_changed/client", "ticket.created/client"}
		if !slices.Equal(got, want) {
			t.Errorf("ticket activity %v, want %v", got, want)
		}
	})
}

func TestComments(t *testing.T) {
	each(t, func(t *testing.T, fx *fixture.Fixture, s *workspace.Store) {
		w := fx.B2
		tk := fx.Ticket(w, "Broken form")
		fx.Comment(tk, "public reply", false)
		fx.Comment(tk, "internal note", true)
		// A client asking for an internal comment gets a public one.
		c, err := s.AddComment(ctx, w.ClientScope(), w.ClientActor(), tk.ID, "  client reply  ", true)
		if err != nil {
			t.Fatal(err)
		}
		if c.Internal || c.Body != "client reply" || c.AuthorKind != workspace.ActorClient || c.TicketID != tk.ID {
			t.Errorf("client comment %+v", c)
		}
		for _, tc := range []struct {
			sc   workspace.Scope
			want []string
		}{
			{w.StaffScope(), []string{"public reply", "internal note", "client reply"}},
			{w.ClientScope(), []string{"public reply", "client reply"}},
		} {
			cs, err := s.Comments(ctx, tc.sc, tk.ID)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, c := range cs {
				got = append(got, c.Body)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("%s sees %v, want %v", tc.sc.Audience, got, tc.want)
			}
		}
		_, err = s.AddComment(ctx, w.StaffScope(), w.StaffActor(), tk.ID, " \n ", false)
		wantField(t, err, "body", field.Required)

		// Activity names the ticket, never the comment's text; internal ones are internal.
		act, err := s.Activity(ctx, w.StaffScope(), 3)
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"ticket.commented/client", "ticket.internal_comment/internal", "ticket.commented/client"}
		for i, e := range act {
			if got := e.Verb + "/" + e.Visibility; got != want[i] || e.Summary != "Broken form" {
				t.Errorf("activity %d = %s %q, want %s \"Broken form\"", i, got, e.Summary, want[i])
			}
		}
	})
}

// TestTicketNumbersUnderConcurrency creates tickets from 20 goroutines at
// once in one workspace (and 10 in another): every number is taken once,
// with no gap.
func TestTicketNumbersUnderConcurrency(t *testing.T) {
	each(t, func(t *testing.T, fx *fixture.Fixture, s *workspace.Store) {
		type result struct {
			key    string
			number int
			err    error
		}
		jobs := map[*fixture.Workspace]int{fx.A1: 20, fx.B2: 10}
		results := make(chan result, 30)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for w, n := range jobs {
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					tk, err := s.CreateTicket(ctx, w.StaffScope(), w.StaffActor(), workspace.TicketInput{Subject: fmt.Sprintf("concurrent %d", i)})
					if err != nil {
						results <- result{w.Key, 0, err}
						return
					}
					results <- result{w.Key, tk.Number, nil}
				}()
			}
		}
		close(start)
		wg.Wait()
		close(results)
		numbers := map[string][]int{}
		for r := range results {
			if r.err != nil {
				t.Fatalf("%s: %v", r.key, r.err)
			}
			numbers[r.key] = append(numbers[r.key], r.number)
		}
		for w, n := range jobs {
			got := numbers[w.Key]
			slices.Sort(got)
			want := make([]int, n)
			for i := range want {
				want[i] = i + 2 // the fixture's ticket is number 1
			}
			if !slices.Equal(got, want) {
				t.Errorf("%s numbers %v, want %v", w.Key, got, want)
			}
			page, err := s.Tickets(ctx, w.StaffScope(), "", workspace.ListOptions{Limit: 200})
			if err != nil || len(page.Items) != n+1 {
				t.Errorf("%s stored %d tickets, %v", w.Key, len(page.Items), err)
			}
		}
	})
}

func TestMessages(t *testing.T) {
	each(t, func(t *testing.T, fx *fixture.Fixture, s *workspace.Store) {
		w := fx.A2
		m, err := s.PostMessage(ctx, w.ClientScope(), workspace.Actor{Kind: workspace.ActorClient, ID: "c1", Name: strings.Repeat("n", 300)}, "Hello\x00 there\n\nsecond line ")
		if err != nil {
			t.Fatal(err)
		}
		if m.Body != "Hello there\n\nsecond line" || m.AuthorKind != "client" || len([]rune(m.AuthorName)) != 120 {
			t.Errorf("posted %+v", m)
		}
		_, err = s.PostMessage(ctx, w.StaffScope(), w.StaffActor(), "   ")
		wantField(t, err, "body", field.Required)
		_, err = s.PostMessage(ctx, w.StaffScope(), w.StaffActor(), strings.Repeat("é", 20_001))
		wantField(t, err, "body", field.TooLong)
		if _, err := s.PostMessage(ctx, w.StaffScope(), w.StaffActor(), strings.Repeat("é", 20_000)); err != nil {
			t.Errorf("a body of exactly 20,000 characters: %v", err)
		}
		// An actor of unknown kind is recorded as "system".
		m2, err := s.PostMessage(ctx, w.StaffScope(), workspace.Actor{Kind: "root"}, "hi")
		if err != nil || m2.AuthorKind != workspace.ActorSystem {
			t.Errorf("unknown kind: %+v, %v", m2, err)
		}
		act, err := s.Activity(ctx, w.ClientScope(), 3)
		if err != nil {
			t.Fatal(err)
		}
		if act[2].Verb != workspace.VerbMessagePosted || act[2].Summary != "Hello there second line" || act[2].ActorKind != "client" {
			t.Errorf("message activity %+v", act[2])
		}
	})
}
