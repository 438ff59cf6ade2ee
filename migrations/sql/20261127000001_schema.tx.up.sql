-- The whole product's schema. Portable SQL: the same text runs on PostgreSQL and
-- SQLite (SQLite accepts these type names). Ids are opaque text (UUIDv7).
-- Every tenant table carries agency_id and its indexes lead with it.

CREATE TABLE agencies (
	id TEXT PRIMARY KEY,
	slug TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	status TEXT NOT NULL DEFAULT 'active',
	default_language TEXT NOT NULL DEFAULT 'en',
	require_staff_totp BOOLEAN NOT NULL DEFAULT FALSE,
	created_at TIMESTAMPTZ NOT NULL,
	updated_at TIMESTAMPTZ NOT NULL
);
--bun:split
CREATE INDEX agencies_updated_at_idx ON agencies (updated_at);
--bun:split

CREATE TABLE domains (
	id TEXT PRIMARY KEY,
	agency_id TEXT NOT NULL REFERENCES agencies (id) ON DELETE CASCADE,
	hostname TEXT NOT NULL UNIQUE,
	status TEXT NOT NULL DEFAULT 'pending',
	verification_token TEXT NOT NULL,
	dns_detail TEXT NOT NULL DEFAULT '',
	checks INTEGER NOT NULL DEFAULT 0,
	next_check_at TIMESTAMPTZ,
	last_checked_at TIMESTAMPTZ,
	verified_at TIMESTAMPTZ,
	verified_by TEXT NOT NULL DEFAULT '',
	cert_status TEXT NOT NULL DEFAULT 'none',
	cert_expires_at TIMESTAMPTZ,
	cert_error TEXT NOT NULL DEFAULT '',
	cert_failed_at TIMESTAMPTZ,
	created_at TIMESTAMPTZ NOT NULL,
	updated_at TIMESTAMPTZ NOT NULL
);
--bun:split
CREATE INDEX domains_agency_idx ON domains (agency_id, hostname);
--bun:split
CREATE INDEX domains_updated_at_idx ON domains (updated_at);
--bun:split
CREATE INDEX domains_next_check_idx ON domains (status, next_check_at);
--bun:split

CREATE TABLE staff_users (
	id TEXT PRIMARY KEY,
	agency_id TEXT NOT NULL REFERENCES agencies (id) ON DELETE CASCADE,
	email TEXT NOT NULL,
	name TEXT NOT NULL,
	role TEXT NOT NULL DEFAULT 'member',
	password_hash TEXT NOT NULL,
	language TEXT NOT NULL DEFAULT '',
	totp_secret BYTEA,
	totp_enabled BOOLEAN NOT NULL DEFAULT FALSE,
	totp_last_step BIGINT NOT NULL DEFAULT 0,
	session_version INTEGER NOT NULL DEFAULT 1,
	disabled BOOLEAN NOT NULL DEFAULT FALSE,
	last_login_at TIMESTAMPTZ,
	created_at TIMESTAMPTZ NOT NULL,
	updated_at TIMESTAMPTZ NOT NULL
);
--bun:split
CREATE UNIQUE INDEX staff_users_agency_email_idx ON staff_users (agency_id, email);
--bun:split

CREATE TABLE operators (
	id TEXT PRIMARY KEY,
	email TEXT NOT NULL UNIQUE,
	password_hash TEXT NOT NULL,
	session_version INTEGER NOT NULL DEFAULT 1,
	last_login_at TIMESTAMPTZ,
	created_at TIMESTAMPTZ NOT NULL
);
--bun:split

CREATE TABLE api_keys (
	id TEXT PRIMARY KEY,
	agency_id TEXT NOT NULL REFERENCES agencies (id) ON DELETE CASCADE,
	name TEXT NOT NULL,
	prefix TEXT NOT NULL,
	key_hash TEXT NOT NULL UNIQUE,
	created_by TEXT NOT NULL DEFAULT '',
	created_at TIMESTAMPTZ NOT NULL,
	last_used_at TIMESTAMPTZ,
	revoked_at TIMESTAMPTZ
);
--bun:split
CREATE INDEX api_keys_agency_idx ON api_keys (agency_id, created_at);
--bun:split

CREATE TABLE workspaces (
	id TEXT PRIMARY KEY,
	agency_id TEXT NOT NULL REFERENCES agencies (id) ON DELETE CASCADE,
	name TEXT NOT NULL,
	contact_email TEXT NOT NULL DEFAULT '',
	next_ticket_number INTEGER NOT NULL DEFAULT 1,
	created_at TIMESTAMPTZ NOT NULL,
	updated_at TIMESTAMPTZ NOT NULL
);
--bun:split
CREATE INDEX workspaces_agency_idx ON workspaces (agency_id, id);
--bun:split
CREATE INDEX workspaces_agency_name_idx ON workspaces (agency_id, name);
--bun:split

CREATE TABLE portal_accounts (
	id TEXT PRIMARY KEY,
	agency_id TEXT NOT NULL REFERENCES agencies (id) ON DELETE CASCADE,
	workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
	login_email TEXT NOT NULL,
	password_hash TEXT NOT NULL DEFAULT '',
	must_change_password BOOLEAN NOT NULL DEFAULT TRUE,
	password_set_at TIMESTAMPTZ,
	password_expires_at TIMESTAMPTZ,
	enabled BOOLEAN NOT NULL DEFAULT FALSE,
	tools TEXT NOT NULL DEFAULT '',
	session_version INTEGER NOT NULL DEFAULT 1,
	language TEXT NOT NULL DEFAULT '',
	totp_mode TEXT NOT NULL DEFAULT 'off',
	totp_secret BYTEA,
	totp_enabled BOOLEAN NOT NULL DEFAULT FALSE,
	totp_last_step BIGINT NOT NULL DEFAULT 0,
	last_login_at TIMESTAMPTZ,
	created_at TIMESTAMPTZ NOT NULL,
	updated_at TIMESTAMPTZ NOT NULL
);
--bun:split
CREATE UNIQUE INDEX portal_accounts_workspace_idx ON portal_accounts (agency_id, workspace_id);
--bun:split
CREATE UNIQUE INDEX portal_accounts_login_idx ON portal_accounts (agency_id, login_email);
--bun:split
CREATE INDEX portal_accounts_email_idx ON portal_accounts (login_email);
--bun:split

CREATE TABLE recovery_codes (
	id TEXT PRIMARY KEY,
	agency_id TEXT,
	subject_kind TEXT NOT NULL,
	subject_id TEXT NOT NULL,
	code_hash TEXT NOT NULL,
	used_at TIMESTAMPTZ,
	created_at TIMESTAMPTZ NOT NULL
);
--bun:split
CREATE INDEX recovery_codes_subject_idx ON recovery_codes (agency_id, subject_kind, subject_id);
--bun:split

CREATE TABLE sessions (
	id TEXT PRIMARY KEY,
	kind TEXT NOT NULL,
	agency_id TEXT,
	subject_id TEXT NOT NULL,
	host TEXT NOT NULL,
	session_version INTEGER NOT NULL,
	second_factor_pending BOOLEAN NOT NULL DEFAULT FALSE,
	preview_workspace_id TEXT NOT NULL DEFAULT '',
	created_at TIMESTAMPTZ NOT NULL,
	last_seen_at TIMESTAMPTZ NOT NULL,
	expires_at TIMESTAMPTZ NOT NULL
);
--bun:split
CREATE INDEX sessions_subject_idx ON sessions (agency_id, subject_id);
--bun:split
CREATE INDEX sessions_expires_idx ON sessions (expires_at);
--bun:split

CREATE TABLE login_attempts (
	id TEXT PRIMARY KEY,
	agency_id TEXT,
	workspace_id TEXT,
	account_id TEXT,
	kind TEXT NOT NULL,
	email TEXT NOT NULL,
	ip TEXT NOT NULL,
	host TEXT NOT NULL,
	success BOOLEAN NOT NULL,
	reason TEXT NOT NULL,
	created_at TIMESTAMPTZ NOT NULL
);
--bun:split
CREATE INDEX login_attempts_scope_idx ON login_attempts (agency_id, workspace_id, created_at);
--bun:split
CREATE INDEX login_attempts_account_idx ON login_attempts (account_id, created_at);
--bun:split
CREATE INDEX login_attempts_ip_idx ON login_attempts (ip, created_at);
--bun:split
CREATE INDEX login_attempts_created_idx ON login_attempts (created_at);
--bun:split

CREATE TABLE portal_events (
	id TEXT PRIMARY KEY,
	agency_id TEXT NOT NULL REFERENCES agencies (id) ON DELETE CASCADE,
	workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
	actor_kind TEXT NOT NULL,
	actor_id TEXT NOT NULL DEFAULT '',
	actor_name TEXT NOT NULL DEFAULT '',
	action TEXT NOT NULL,
	detail TEXT NOT NULL DEFAULT '',
	created_at TIMESTAMPTZ NOT NULL
);
--bun:split
CREATE INDEX portal_events_scope_idx ON portal_events (agency_id, workspace_id, created_at);
--bun:split

CREATE TABLE tasks (
	id TEXT PRIMARY KEY,
	agency_id TEXT NOT NULL REFERENCES agencies (id) ON DELETE CASCADE,
	workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
	title TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	status TEXT NOT NULL DEFAULT 'todo',
	position BIGINT NOT NULL DEFAULT 0,
	due_on TEXT NOT NULL DEFAULT '',
	assignee_id TEXT NOT NULL DEFAULT '',
	created_at TIMESTAMPTZ NOT NULL,
	updated_at TIMESTAMPTZ NOT NULL
);
--bun:split
CREATE INDEX tasks_scope_idx ON tasks (agency_id, workspace_id, status, position);
--bun:split

CREATE TABLE messages (
	id TEXT PRIMARY KEY,
	agency_id TEXT NOT NULL REFERENCES agencies (id) ON DELETE CASCADE,
	workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
	author_kind TEXT NOT NULL,
	author_id TEXT NOT NULL DEFAULT '',
	author_name TEXT NOT NULL DEFAULT '',
	body TEXT NOT NULL,
	created_at TIMESTAMPTZ NOT NULL
);
--bun:split
CREATE INDEX messages_scope_idx ON messages (agency_id, workspace_id, id);
--bun:split

CREATE TABLE tickets (
	id TEXT PRIMARY KEY,
	agency_id TEXT NOT NULL REFERENCES agencies (id) ON DELETE CASCADE,
	workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
	number INTEGER NOT NULL,
	subject TEXT NOT NULL,
	body TEXT NOT NULL DEFAULT '',
	status TEXT NOT NULL DEFAULT 'open',
	priority TEXT NOT NULL DEFAULT 'normal',
	from_client BOOLEAN NOT NULL DEFAULT FALSE,
	author_id TEXT NOT NULL DEFAULT '',
	author_name TEXT NOT NULL DEFAULT '',
	created_at TIMESTAMPTZ NOT NULL,
	updated_at TIMESTAMPTZ NOT NULL
);
--bun:split
CREATE UNIQUE INDEX tickets_number_idx ON tickets (agency_id, workspace_id, number);
--bun:split
CREATE INDEX tickets_scope_idx ON tickets (agency_id, workspace_id, status, id);
--bun:split

CREATE TABLE ticket_comments (
	id TEXT PRIMARY KEY,
	agency_id TEXT NOT NULL REFERENCES agencies (id) ON DELETE CASCADE,
	workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
	ticket_id TEXT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
	author_kind TEXT NOT NULL,
	author_id TEXT NOT NULL DEFAULT '',
	author_name TEXT NOT NULL DEFAULT '',
	body TEXT NOT NULL,
	internal BOOLEAN NOT NULL DEFAULT FALSE,
	created_at TIMESTAMPTZ NOT NULL
);
--bun:split
CREATE INDEX ticket_comments_scope_idx ON ticket_comments (agency_id, workspace_id, ticket_id, id);
--bun:split

CREATE TABLE invoices (
	id TEXT PRIMARY KEY,
	agency_id TEXT NOT NULL REFERENCES agencies (id) ON DELETE CASCADE,
	workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
	number TEXT NOT NULL,
	issued_on TEXT NOT NULL,
	due_on TEXT NOT NULL,
	currency TEXT NOT NULL,
	status TEXT NOT NULL DEFAULT 'draft',
	paid_on TEXT NOT NULL DEFAULT '',
	total_cents BIGINT NOT NULL DEFAULT 0,
	created_at TIMESTAMPTZ NOT NULL,
	updated_at TIMESTAMPTZ NOT NULL
);
--bun:split
CREATE UNIQUE INDEX invoices_number_idx ON invoices (agency_id, number);
--bun:split
CREATE INDEX invoices_scope_idx ON invoices (agency_id, workspace_id, status, issued_on);
--bun:split

CREATE TABLE invoice_lines (
	id TEXT PRIMARY KEY,
	agency_id TEXT NOT NULL REFERENCES agencies (id) ON DELETE CASCADE,
	workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
	invoice_id TEXT NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
	position INTEGER NOT NULL,
	description TEXT NOT NULL,
	quantity_milli BIGINT NOT NULL,
	unit_price_cents BIGINT NOT NULL,
	amount_cents BIGINT NOT NULL
);
--bun:split
CREATE INDEX invoice_lines_scope_idx ON invoice_lines (agency_id, workspace_id, invoice_id, position);
--bun:split

CREATE TABLE notes (
	id TEXT PRIMARY KEY,
	agency_id TEXT NOT NULL REFERENCES agencies (id) ON DELETE CASCADE,
	workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
	body TEXT NOT NULL,
	agency_only BOOLEAN NOT NULL DEFAULT TRUE,
	author_id TEXT NOT NULL DEFAULT '',
	author_name TEXT NOT NULL DEFAULT '',
	created_at TIMESTAMPTZ NOT NULL,
	updated_at TIMESTAMPTZ NOT NULL
);
--bun:split
CREATE INDEX notes_scope_idx ON notes (agency_id, workspace_id, agency_only, id);
--bun:split

CREATE TABLE activity (
	id TEXT PRIMARY KEY,
	agency_id TEXT NOT NULL REFERENCES agencies (id) ON DELETE CASCADE,
	workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
	actor_kind TEXT NOT NULL,
	actor_name TEXT NOT NULL DEFAULT '',
	verb TEXT NOT NULL,
	subject_type TEXT NOT NULL,
	subject_id TEXT NOT NULL DEFAULT '',
	summary TEXT NOT NULL DEFAULT '',
	visibility TEXT NOT NULL,
	created_at TIMESTAMPTZ NOT NULL
);
--bun:split
CREATE INDEX activity_scope_idx ON activity (agency_id, workspace_id, visibility, id);
--bun:split

CREATE TABLE service_rates (
	id TEXT PRIMARY KEY,
	agency_id TEXT NOT NULL REFERENCES agencies (id) ON DELETE CASCADE,
	service TEXT NOT NULL,
	hourly_rate_cents BIGINT NOT NULL,
	currency TEXT NOT NULL,
	position INTEGER NOT NULL DEFAULT 0
);
--bun:split
CREATE UNIQUE INDEX service_rates_agency_idx ON service_rates (agency_id, service);
--bun:split

CREATE TABLE brandings (
	agency_id TEXT PRIMARY KEY REFERENCES agencies (id) ON DELETE CASCADE,
	platform_name TEXT NOT NULL DEFAULT '',
	primary_color TEXT NOT NULL DEFAULT '',
	logo BYTEA,
	logo_hash TEXT NOT NULL DEFAULT '',
	favicon BYTEA,
	updated_at TIMESTAMPTZ NOT NULL
);
--bun:split

CREATE TABLE cert_data (
	key TEXT PRIMARY KEY,
	value BYTEA NOT NULL,
	modified TIMESTAMPTZ NOT NULL
);
--bun:split

CREATE TABLE cert_locks (
	key TEXT PRIMARY KEY,
	owner TEXT NOT NULL,
	expires_at TIMESTAMPTZ NOT NULL
);
