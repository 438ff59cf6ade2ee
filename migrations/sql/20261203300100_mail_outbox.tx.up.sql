-- The mail outbox: every e-mail the platform sends is a row here first,
-- written in the transaction that decided to send it (the event dispatcher's,
-- or the request's for an onboarding e-mail). Workers on every instance claim
-- due rows, send them and record the outcome; status is 'queued', 'sent' or
-- 'failed' (a permanent refusal, with last_error shown to the agency).
-- message_id is fixed when the row is written, so a message sent twice after
-- a crash carries the same Message-ID.
CREATE TABLE mail_outbox (
	id TEXT PRIMARY KEY,
	agency_id TEXT NOT NULL DEFAULT '',
	workspace_id TEXT NOT NULL DEFAULT '',
	event_id TEXT NOT NULL DEFAULT '',
	kind TEXT NOT NULL,
	to_addr TEXT NOT NULL,
	to_name TEXT NOT NULL DEFAULT '',
	from_name TEXT NOT NULL DEFAULT '',
	reply_to TEXT NOT NULL DEFAULT '',
	subject TEXT NOT NULL,
	text_body TEXT NOT NULL,
	html_body TEXT NOT NULL DEFAULT '',
	unsubscribe_url TEXT NOT NULL DEFAULT '',
	message_id TEXT NOT NULL,
	status TEXT NOT NULL DEFAULT 'queued',
	attempts INTEGER NOT NULL DEFAULT 0,
	next_at TIMESTAMPTZ NOT NULL,
	last_error TEXT NOT NULL DEFAULT '',
	created_at TIMESTAMPTZ NOT NULL,
	sent_at TIMESTAMPTZ
);
--bun:split
CREATE INDEX mail_outbox_due_idx ON mail_outbox (next_at, id) WHERE status = 'queued';
--bun:split
CREATE INDEX mail_outbox_agency_idx ON mail_outbox (agency_id, created_at);
