package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/driver/pgdriver"

	"workrate/auth"
	"workrate/server"
	"workrate/store"
	"workrate/tenant"
)

// Seeded logins and sizes. The big workspace is the portal
// benchmark: 1,000 tickets, 1,000 tasks, 10,000 messages, 200 invoices.
const (
	seedBigSlug     = "bigseed"
	seedBigEmail    = "client@bigseed.example"
	seedBigPassword = "seed-client-pass-2026"
	seedBigTickets  = 1000
	seedBigTasks    = 1000
	seedBigMessages = 10000
	seedBigInvoices = 200
	seedBigActivity = 2000    // recent activity, half of it internal
	seedBatch       = 500     // rows per multi-row INSERT (SQLite)
	seedCopyChunk   = 200_000 // rows per COPY (PostgreSQL)
)

// runSeed fills the database with synthetic agencies, workspaces and rows
// for benchmarks: COPY on PostgreSQL, batched multi-row INSERTs on SQLite.
func runSeed(ctx context.Context, args []string, out io.Writer) error {
	fs := newFlags("seed", out)
	config := server.RegisterFlags(fs)
	agencies := fs.Int("agencies", 0, "agencies to create")
	perAgency := fs.Int("workspaces-per-agency", 1, "workspaces of each agency")
	rows := fs.Int("rows", 0, "tickets, messages and tasks in all (a third each), spread over the workspaces")
	big := fs.Bool("big", false, "also create agency "+seedBigSlug+" with one big workspace and a client login (all tools)")
	prefix := fs.String("prefix", "seed", "slug prefix of the created agencies (run again with another prefix to add more)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *agencies < 0 || *perAgency < 1 || *rows < 0 || (*rows > 0 && *agencies == 0) {
		return fmt.Errorf("seed: want --agencies ≥ 1 for --rows, --workspaces-per-agency ≥ 1: %w", errUsage)
	}
	cfg, db, err := openConfigured(ctx, config)
	if err != nil {
		return err
	}
	defer db.Close()
	s := &seeder{db: db, pg: store.IsPostgres(db), now: store.Now()}
	start := time.Now()
	report := map[string]any{"database": map[bool]string{true: "postgres", false: "sqlite"}[s.pg]}
	if *agencies > 0 {
		if err := s.spread(ctx, *prefix, *agencies, *perAgency, *rows); err != nil {
			return err
		}
		report["agencies"], report["workspaces"], report["rows"] = *agencies, *agencies**perAgency, *rows
	}
	if *big {
		if err := s.bigWorkspace(ctx); err != nil {
			return err
		}
		report["big"] = map[string]any{"host": seedBigSlug + "." + cfg.AgencyDomain + portOf(cfg.HTTPAddr),
			"email": seedBigEmail, "password": seedBigPassword, "tickets": seedBigTickets, "tasks": seedBigTasks,
			"messages": seedBigMessages, "invoices": seedBigInvoices, "activity": seedBigActivity}
	}
	if err := s.analyze(ctx); err != nil {
		return err
	}
	elapsed := time.Since(start)
	report["seconds"] = elapsed.Seconds()
	report["rows_inserted"] = s.inserted
	report["rows_per_second"] = float64(s.inserted) / elapsed.Seconds()
	return printJSON(out, report)
}

// seeder writes rows fast.
type seeder struct {
	db       *bun.DB
	pg       bool
	now      time.Time
	inserted int64
}

// spread creates agencies, their workspaces, and rows tickets, messages and
// tasks (a third each) dealt round-robin over the workspaces.
func (s *seeder) spread(ctx context.Context, prefix string, agencies, perAgency, rows int) error {
	agencyIDs := make([]string, agencies)
	for i := range agencyIDs {
		agencyIDs[i] = store.NewID()
	}
	ws := agencies * perAgency
	wsIDs := make([]string, ws)
	for i := range wsIDs {
		wsIDs[i] = store.NewID()
	}
	ts := s.now
	err := s.copy(ctx, "agencies", []string{"id", "slug", "name", "status", "default_language", "require_staff_totp", "created_at", "updated_at"}, agencies,
		func(i int) []any {
			return []any{agencyIDs[i], fmt.Sprintf("%s-%06d", prefix, i), fmt.Sprintf("Seed Agency %d", i), "active", "en", false, ts, ts}
		})
	if err != nil {
		return err
	}
	tickets := rows / 3
	err = s.copy(ctx, "workspaces", []string{"id", "agency_id", "name", "contact_email", "next_ticket_number", "created_at", "updated_at"}, ws,
		func(i int) []any {
			n := 0 // tickets dealt to workspace i below
			if tickets > i {
				n = (tickets-i-1)/ws + 1
			}
			return []any{wsIDs[i], agencyIDs[i/perAgency], fmt.Sprintf("Seed Workspace %d", i), "", n + 1, ts, ts}
		})
	if err != nil {
		return err
	}
	owner := func(i int) (string, string) { w := i % ws; return agencyIDs[w/perAgency], wsIDs[w] }
	statuses := []string{"open", "in_progress", "waiting", "resolved", "closed"}
	err = s.copy(ctx, "tickets", []string{"id", "agency_id", "workspace_id", "number", "subject", "body", "status", "priority", "from_client", "author_id", "author_name", "created_at", "updated_at"}, tickets,
		func(i int) []any {
			a, w := owner(i)
			return []any{store.NewID(), a, w, i/ws + 1, fmt.Sprintf("Seed ticket %d", i), "Seed body", statuses[i%len(statuses)], "normal", i%2 == 0, "", "Seed", ts, ts}
		})
	if err != nil {
		return err
	}
	if err := s.messages(ctx, rows/3, owner); err != nil {
		return err
	}
	return s.tasks(ctx, rows-2*(rows/3), owner)
}

func (s *seeder) messages(ctx context.Context, n int, owner func(int) (string, string)) error {
	ts := s.now
	return s.copy(ctx, "messages", []string{"id", "agency_id", "workspace_id", "author_kind", "author_id", "author_name", "body", "created_at"}, n,
		func(i int) []any {
			a, w := owner(i)
			return []any{store.NewID(), a, w, "staff", "", "Seed", fmt.Sprintf("Seed message %d\nwith a second line", i), ts}
		})
}

func (s *seeder) tasks(ctx context.Context, n int, owner func(int) (string, string)) error {
	ts := s.now
	statuses := []string{"todo", "in_progress", "review", "done"}
	return s.copy(ctx, "tasks", []string{"id", "agency_id", "workspace_id", "title", "description", "status", "position", "due_on", "assignee_id", "created_at", "updated_at"}, n,
		func(i int) []any {
			a, w := owner(i)
			return []any{store.NewID(), a, w, fmt.Sprintf("Seed task %d", i), "", statuses[i%len(statuses)], i, "2026-12-31", "", ts, ts}
		})
}

// bigWorkspace creates agency bigseed with one workspace of the size
// and its client's portal account (every tool, a permanent password).
func (s *seeder) bigWorkspace(ctx context.Context) error {
	agencyID, wsID, ts := store.NewID(), store.NewID(), s.now
	if _, err := s.db.NewRaw("INSERT INTO agencies (id, slug, name, status, default_language, require_staff_totp, created_at, updated_at) VALUES (?, ?, ?, 'active', 'en', FALSE, ?, ?)",
		agencyID, seedBigSlug, "Big Seed Agency", ts, ts).Exec(ctx); err != nil {
		return fmt.Errorf("seed: big agency (run seed --big once per database): %w", store.Translate(err))
	}
	if _, err := s.db.NewRaw("INSERT INTO workspaces (id, agency_id, name, contact_email, next_ticket_number, created_at, updated_at) VALUES (?, ?, ?, '', ?, ?, ?)",
		wsID, agencyID, "Big Workspace", seedBigTickets+1, ts, ts).Exec(ctx); err != nil {
		return fmt.Errorf("seed: big workspace: %w", store.Translate(err))
	}
	hash, err := auth.HashPassword(seedBigPassword, auth.DefaultParams())
	if err != nil {
		return err
	}
	acct := &auth.PortalAccount{ID: store.NewID(), AgencyID: agencyID, WorkspaceID: wsID, LoginEmail: seedBigEmail, PasswordHash: hash,
		PasswordSetAt: &ts, Enabled: true, Tools: "dashboard,tickets,messages,tasks,invoices", SessionVersion: 1, Language: "", CreatedAt: ts, UpdatedAt: ts}
	if _, err := s.db.NewInsert().Model(acct).Exec(ctx); err != nil {
		return fmt.Errorf("seed: big portal account: %w", store.Translate(err))
	}
	owner := func(int) (string, string) { return agencyID, wsID }
	statuses := []string{"open", "in_progress", "waiting", "resolved", "closed"}
	err = s.copy(ctx, "tickets", []string{"id", "agency_id", "workspace_id", "number", "subject", "body", "status", "priority", "from_client", "author_id", "author_name", "created_at", "updated_at"}, seedBigTickets,
		func(i int) []any {
			return []any{store.NewID(), agencyID, wsID, i + 1, fmt.Sprintf("Big ticket %d", i+1), "Seed body", statuses[i%len(statuses)], "normal", i%2 == 0, "", "Seed", ts, ts}
		})
	if err != nil {
		return err
	}
	if err := s.messages(ctx, seedBigMessages, owner); err != nil {
		return err
	}
	if err := s.tasks(ctx, seedBigTasks, owner); err != nil {
		return err
	}
	verbs := []string{"ticket.created", "message.posted", "task.moved", "invoice.sent"}
	subjects := []string{"ticket", "message", "task", "invoice"}
	visibility := []string{"client", "internal"}
	err = s.copy(ctx, "activity", []string{"id", "agency_id", "workspace_id", "actor_kind", "actor_name", "verb", "subject_type", "subject_id", "summary", "visibility", "created_at"}, seedBigActivity,
		func(i int) []any {
			return []any{store.NewID(), agencyID, wsID, "staff", "Seed", verbs[i%len(verbs)], subjects[i%len(subjects)], "", fmt.Sprintf("Seed item %d", i), visibility[i/len(verbs)%2], ts}
		})
	if err != nil {
		return err
	}
	invIDs := make([]string, seedBigInvoices)
	invStatus := []string{"sent", "paid", "void", "draft"}
	err = s.copy(ctx, "invoices", []string{"id", "agency_id", "workspace_id", "number", "issued_on", "due_on", "currency", "status", "paid_on", "total_cents", "created_at", "updated_at"}, seedBigInvoices,
		func(i int) []any {
			invIDs[i] = store.NewID()
			return []any{invIDs[i], agencyID, wsID, fmt.Sprintf("BIG-%04d", i+1), "2026-10-01", "2026-11-01", "EUR", invStatus[i%len(invStatus)], "", 19800, ts, ts}
		})
	if err != nil {
		return err
	}
	return s.copy(ctx, "invoice_lines", []string{"id", "agency_id", "workspace_id", "invoice_id", "position", "description", "quantity_milli", "unit_price_cents", "amount_cents"}, seedBigInvoices,
		func(i int) []any {
			return []any{store.NewID(), agencyID, wsID, invIDs[i], 1, "Design", 2000, 9900, 19800}
		})
}

// analyze gives the planner statistics of the new rows (and PostgreSQL the
// visibility map that index-only counts need): without them the first
// benchmark runs on plans made for empty tables.
func (s *seeder) analyze(ctx context.Context) error {
	stmt := "ANALYZE"
	if s.pg {
		stmt = "VACUUM (ANALYZE)"
	}
	if _, err := s.db.ExecContext(ctx, stmt); err != nil {
		return fmt.Errorf("seed: %s: %w", stmt, err)
	}
	return nil
}

// copy writes n rows of table: COPY … FROM STDIN (CSV; no NULLs: an empty
// field is an empty string) on PostgreSQL, multi-row
// INSERTs of seedBatch rows in transactions on SQLite.
func (s *seeder) copy(ctx context.Context, table string, cols []string, n int, row func(i int) []any) error {
	if n == 0 {
		return nil
	}
	var err error
	if s.pg {
		// One COPY per chunk: PostgreSQL checks the foreign keys and runs the
		// statement's triggers when a COPY ends, and one of millions of rows
		// would outlast the driver's read timeout.
		for lo := 0; lo < n && err == nil; lo += seedCopyChunk {
			err = s.copyPostgres(ctx, table, cols, min(seedCopyChunk, n-lo), func(i int) []any { return row(lo + i) })
		}
	} else {
		err = s.insertBatches(ctx, table, cols, n, row)
	}
	if err != nil {
		return fmt.Errorf("seed: %s: %w", table, store.Translate(err))
	}
	s.inserted += int64(n)
	return nil
}

func (s *seeder) copyPostgres(ctx context.Context, table string, cols []string, n int, row func(i int) []any) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	pr, pw := io.Pipe()
	go func() {
		w := csv.NewWriter(pw)
		rec := make([]string, len(cols))
		for i := range n {
			for j, v := range row(i) {
				rec[j] = csvValue(v)
			}
			if err := w.Write(rec); err != nil {
				pw.CloseWithError(err)
				return
			}
		}
		w.Flush()
		pw.CloseWithError(w.Error())
	}()
	_, err = pgdriver.CopyFrom(ctx, conn, pr, "COPY "+table+" ("+strings.Join(cols, ", ")+") FROM STDIN WITH (FORMAT csv, FORCE_NOT_NULL ("+strings.Join(cols, ", ")+"))")
	pr.CloseWithError(err) // unblock the writer if COPY failed
	return err
}

func csvValue(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case int:
		return strconv.Itoa(v)
	case bool:
		return strconv.FormatBool(v)
	case time.Time:
		return v.Format(time.RFC3339Nano)
	}
	return fmt.Sprint(v)
}

func (s *seeder) insertBatches(ctx context.Context, table string, cols []string, n int, row func(i int) []any) error {
	one := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
	head := "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES "
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		for lo := 0; lo < n; lo += seedBatch {
			hi := min(lo+seedBatch, n)
			args := make([]any, 0, (hi-lo)*len(cols))
			for i := lo; i < hi; i++ {
				args = append(args, row(i)...)
			}
			q := head + strings.TrimSuffix(strings.Repeat(one+", ", hi-lo), ", ")
			if _, err := tx.NewRaw(q, args...).Exec(ctx); err != nil {
				return err
			}
		}
		return nil
	})
}

// seedBigSession signs the big workspace's client in without a password (so
// that a locked-out account does not stop a benchmark) and returns the
// session cookie for host.
func seedBigSession(ctx context.Context, db *bun.DB, host string, p auth.SessionPolicy) (*http.Cookie, error) {
	a, err := tenant.NewStore(db).AgencyBySlug(ctx, seedBigSlug)
	if err != nil {
		return nil, fmt.Errorf("seeded agency %s (run `workrate seed --big` first): %w", seedBigSlug, err)
	}
	st := auth.NewStore(db)
	acct, err := st.PortalAccountByEmail(ctx, a.ID, seedBigEmail)
	if err != nil {
		return nil, err
	}
	tok, err := st.CreateSession(ctx, &auth.Session{Kind: auth.KindClient, AgencyID: a.ID, SubjectID: acct.ID, Host: host, SessionVersion: acct.SessionVersion}, p)
	if err != nil {
		return nil, err
	}
	return &http.Cookie{Name: auth.CookieName(false), Value: tok}, nil
}
