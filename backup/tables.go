// Package backup copies the product's data: the whole database (Backup,
// Restore) or one agency (Export, Import), on SQLite and PostgreSQL alike.
package backup

// scope says which copies a table's rows travel in.
type scope int

const (
	// perAgency rows carry agency_id (the agencies table: id); they travel in
	// full backups and in their agency's export.
	perAgency scope = iota
	// platform rows belong to no agency (operators, certificates): full backups only.
	platform
	// transient rows (stored API answers, form tokens) expire within a day, and
	// the event stream is handed on where it was written (an export carrying
	// undispatched events would notify twice):
	// full backups only.
	transient
)

// table is one table of the schema and the copies it belongs to.
type table struct {
	name  string
	scope scope
}

// tables lists every table of the schema (migrations/), parents before the
// children that reference them, so rows can be inserted in this order.
// TestEveryTableIsListed fails when a migration adds a table missing here.
var tables = []table{
	{"agencies", perAgency},
	{"domains", perAgency},
	{"staff_users", perAgency},
	{"operators", platform},
	{"api_keys", perAgency},
	{"workspaces", perAgency},
	{"portal_accounts", perAgency},
	{"recovery_codes", perAgency},
	{"sessions", perAgency},
	{"login_attempts", perAgency},
	{"sign_in_tags", perAgency},
	{"portal_events", perAgency},
	{"tasks", perAgency},
	{"messages", perAgency},
	{"tickets", perAgency},
	{"ticket_comments", perAgency},
	{"invoices", perAgency},
	{"invoice_lines", perAgency},
	{"notes", perAgency},
	{"activity", perAgency},
	{"service_rates", perAgency},
	{"brandings", perAgency},
	{"cert_data", platform},
	{"cert_locks", platform},
	{"idempotency_keys", transient},
	{"form_tokens", transient},
	{"health_probes", transient},
	{"events", transient},
	{"mail_outbox", transient},
}

// bookkeeping tables are the migrator's own: never copied as data.
var bookkeeping = map[string]bool{"bun_migrations": true, "bun_migration_locks": true}

// agencyColumn is the column that ties a table's rows to their agency.
func agencyColumn(name string) string {
	if name == "agencies" {
		return "id"
	}
	return "agency_id"
}

// lookup returns the listed table of that name.
func lookup(name string) (table, bool) {
	for _, t := range tables {
		if t.name == name {
			return t, true
		}
	}
	return table{}, false
}
