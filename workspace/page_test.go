package workspace_test

import (
	"fmt"
	"slices"
	"testing"

	"workrate/fixture"
	"workrate/workspace"
)

// walk follows Next until the last page and returns the pages' sizes.
func walk[T any](t *testing.T, limit int, list func(workspace.ListOptions) (workspace.Page[T], error)) ([][]T, []int) {
	t.Helper()
	var pages [][]T
	var sizes []int
	opt := workspace.ListOptions{Limit: limit}
	for range 20 {
		p, err := list(opt)
		if err != nil {
			t.Fatal(err)
		}
		pages, sizes = append(pages, p.Items), append(sizes, len(p.Items))
		if p.Next == "" {
			return pages, sizes
		}
		opt.Cursor = p.Next
	}
	t.Fatal("pagination does not end")
	return nil, nil
}

func TestPagination(t *testing.T) {
	each(t, func(t *testing.T, fx *fixture.Fixture, s *workspace.Store) {
		w := fx.A1
		sc := w.StaffScope()
		pg := &pagination{fx: fx, s: s, w: w, sc: sc}
		t.Run("tickets newest first", pg.tickets)
		t.Run("messages newest page first, oldest first within", pg.messages)
		t.Run("invoices by issue date", pg.invoices)
		t.Run("workspaces by name with search", pg.workspaces)
		t.Run("limits", pg.limits)
	})
}

// pagination is the shared state of TestPagination's steps.
type pagination struct {
	fx *fixture.Fixture
	s  *workspace.Store
	w  *fixture.Workspace
	sc workspace.Scope
}

// tickets: tickets page newest first, each once.
func (pg *pagination) tickets(t *testing.T) {
	fx, s, w, sc := pg.fx, pg.s, pg.w, pg.sc
	for i := range 6 {
		fx.Ticket(w, fmt.Sprintf("t%d", i))
	}
	fx.Ticket(fx.A2, "elsewhere")
	pages, sizes := walk(t, 3, func(o workspace.ListOptions) (workspace.Page[workspace.Ticket], error) {
		return s.Tickets(ctx, sc, "", o)
	})
	if !slices.Equal(sizes, []int{3, 3, 1}) {
		t.Fatalf("page sizes %v, want 3 3 1", sizes)
	}
	var ids []string
	for _, p := range pages {
		for _, tk := range p {
			ids = append(ids, tk.ID)
		}
	}
	sorted := slices.Clone(ids)
	slices.Sort(sorted)
	slices.Reverse(sorted)
	if !slices.Equal(ids, sorted) || len(slices.Compact(sorted)) != 7 {
		t.Errorf("tickets across pages not each once newest first: %v", ids)
	}
}

// messages: the newest page of messages comes first, oldest first within.
func (pg *pagination) messages(t *testing.T) {
	fx, s, w, sc := pg.fx, pg.s, pg.w, pg.sc
	for i := range 5 {
		fx.Message(w, fmt.Sprintf("m%d", i))
	}
	pages, sizes := walk(t, 3, func(o workspace.ListOptions) (workspace.Page[workspace.Message], error) {
		return s.Messages(ctx, sc, o)
	})
	if !slices.Equal(sizes, []int{3, 3, 1}) {
		t.Fatalf("page sizes %v, want 3 3 1", sizes)
	}
	var ids []string
	for i := len(pages) - 1; i >= 0; i-- {
		for _, m := range pages[i] {
			ids = append(ids, m.ID)
		}
	}
	if !slices.IsSorted(ids) || len(slices.Compact(slices.Clone(ids))) != 7 {
		t.Errorf("thread read back to front is not each message once in order: %v", ids)
	}
}

// invoices page by issue date; the client skips drafts.
func (pg *pagination) invoices(t *testing.T) {
	s, w, sc := pg.s, pg.w, pg.sc
	for i, d := range []string{"2026-05-01", "2025-12-01", "2026-05-01", "2026-03-15"} {
		in := invoiceInput(fmt.Sprintf("P-%d", i))
		in.IssuedOn, in.DueOn, in.Status = d, "2026-06-30", workspace.InvoiceSent
		if _, err := s.CreateInvoice(ctx, sc, w.StaffActor(), in); err != nil {
			t.Fatal(err)
		}
	}
	pages, sizes := walk(t, 2, func(o workspace.ListOptions) (workspace.Page[workspace.Invoice], error) {
		return s.Invoices(ctx, sc, o)
	})
	if !slices.Equal(sizes, []int{2, 2, 2, 1}) {
		t.Fatalf("page sizes %v, want 2 2 2 1", sizes)
	}
	var dates []string
	for _, p := range pages {
		for _, inv := range p {
			dates = append(dates, inv.IssuedOn)
			if inv.Lines != nil {
				t.Errorf("list carries lines of %s", inv.Number)
			}
		}
	}
	want := []string{"2026-05-01", "2026-05-01", "2026-03-15", "2026-01-05", "2026-01-05", "2026-01-05", "2025-12-01"}
	if !slices.Equal(dates, want) {
		t.Errorf("issue dates %v, want %v", dates, want)
	}
	// The client's pages skip the draft.
	_, sizes = walk(t, 2, func(o workspace.ListOptions) (workspace.Page[workspace.Invoice], error) {
		return s.Invoices(ctx, w.ClientScope(), o)
	})
	if !slices.Equal(sizes, []int{2, 2, 2}) {
		t.Errorf("client page sizes %v, want 2 2 2", sizes)
	}
}

// workspaces page by name, and search finds by part of the name.
func (pg *pagination) workspaces(t *testing.T) {
	fx, s, w := pg.fx, pg.s, pg.w
	for _, n := range []string{"Zeta 100% Co", "alpha_beta", "Beta Ltd", "Gamma"} {
		if _, err := s.CreateWorkspace(ctx, fx.A.ID, w.StaffActor(), workspace.WorkspaceInput{Name: n}); err != nil {
			t.Fatal(err)
		}
	}
	pages, sizes := walk(t, 4, func(o workspace.ListOptions) (workspace.Page[workspace.Workspace], error) {
		return s.Workspaces(ctx, fx.A.ID, "", o)
	})
	if !slices.Equal(sizes, []int{4, 2}) {
		t.Fatalf("page sizes %v, want 4 2", sizes)
	}
	var all []string
	for _, p := range pages {
		for _, ws := range p {
			all = append(all, ws.Name)
		}
	}
	if len(slices.Compact(slices.Clone(all))) != 6 {
		t.Errorf("names %v", all)
	}
	for q, want := range map[string][]string{
		"BETA":   {"Beta Ltd", "alpha_beta"},
		"_":      {"alpha_beta"},
		"100%":   {"Zeta 100% Co"},
		"client": {"Client A1 MARK-A1-wsname", "Client A2 MARK-A2-wsname"},
		"a3-ws":  {},
		"zzz":    {},
	} {
		p, err := s.Workspaces(ctx, fx.A.ID, q, workspace.ListOptions{})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, ws := range p.Items {
			got = append(got, ws.Name)
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) && !(len(got) == 0 && len(want) == 0) {
			t.Errorf("search %q = %v, want %v", q, got, want)
		}
	}
}

// limits: a bad limit is the default, a huge one is capped.
func (pg *pagination) limits(t *testing.T) {
	s, sc := pg.s, pg.sc
	p, err := s.Tickets(ctx, sc, "", workspace.ListOptions{Limit: -5})
	if err != nil || len(p.Items) != 7 || p.Next != "" {
		t.Errorf("default limit: %d items, next %q, %v", len(p.Items), p.Next, err)
	}
	p, err = s.Tickets(ctx, sc, "", workspace.ListOptions{Limit: 1_000_000})
	if err != nil || len(p.Items) != 7 {
		t.Errorf("huge limit: %d items, %v", len(p.Items), err)
	}
}
