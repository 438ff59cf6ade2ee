-- Answers of API writes sent with an Idempotency-Key, kept 24 hours so that a
-- retry gets the first answer instead of doing the write again. owner is the
-- SHA-256 of the request's Authorization header (the API key), fingerprint the
-- SHA-256 of its method, path and body; status 0 means still in progress,
-- held until locked_until.
CREATE TABLE idempotency_keys (
	owner TEXT NOT NULL,
	idem_key TEXT NOT NULL,
	fingerprint TEXT NOT NULL,
	status INTEGER NOT NULL DEFAULT 0,
	headers TEXT NOT NULL DEFAULT '',
	body BYTEA,
	locked_until TIMESTAMPTZ NOT NULL,
	created_at TIMESTAMPTZ NOT NULL,
	expires_at TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (owner, idem_key)
);
--bun:split
CREATE INDEX idempotency_keys_expires_idx ON idempotency_keys (expires_at);
