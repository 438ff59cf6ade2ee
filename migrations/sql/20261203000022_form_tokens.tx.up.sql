-- One-time tokens of HTML forms: the first submission of a form runs and its
-- answer (the redirect) is kept a day, so a double submit or a retry after a
-- lost answer gets the same redirect instead of writing again. token_hash is
-- the SHA-256 of the host, path and token; status 0 means still in progress,
-- held until locked_until.
CREATE TABLE form_tokens (
	token_hash TEXT PRIMARY KEY,
	status INTEGER NOT NULL DEFAULT 0,
	location TEXT NOT NULL DEFAULT '',
	locked_until TIMESTAMPTZ NOT NULL,
	expires_at TIMESTAMPTZ NOT NULL
);
--bun:split
CREATE INDEX form_tokens_expires_idx ON form_tokens (expires_at);
