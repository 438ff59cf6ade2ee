-- The event stream (a transactional outbox): every client-visible or
-- staff-relevant change writes one row here in the transaction of the change.
-- The dispatcher claims rows whose dispatched_at is NULL and next_at has come,
-- hands each to the consumers (notifications, e-mail, webhooks) in one
-- transaction, and sets dispatched_at. A failing row backs off through next_at.
-- audience is 'client' (the client may learn of it) or 'staff' (agency only).
-- data is a JSON object with the kind's details.
CREATE TABLE events (
	id TEXT PRIMARY KEY,
	agency_id TEXT NOT NULL,
	workspace_id TEXT NOT NULL DEFAULT '',
	kind TEXT NOT NULL,
	audience TEXT NOT NULL,
	actor_kind TEXT NOT NULL DEFAULT '',
	actor_id TEXT NOT NULL DEFAULT '',
	actor_name TEXT NOT NULL DEFAULT '',
	subject_type TEXT NOT NULL DEFAULT '',
	subject_id TEXT NOT NULL DEFAULT '',
	summary TEXT NOT NULL DEFAULT '',
	data TEXT NOT NULL DEFAULT '{}',
	created_at TIMESTAMPTZ NOT NULL,
	next_at TIMESTAMPTZ NOT NULL,
	attempts INTEGER NOT NULL DEFAULT 0,
	last_error TEXT NOT NULL DEFAULT '',
	dispatched_at TIMESTAMPTZ
);
--bun:split
CREATE INDEX events_pending_idx ON events (next_at, id) WHERE dispatched_at IS NULL;
--bun:split
CREATE INDEX events_agency_idx ON events (agency_id, workspace_id, created_at);
