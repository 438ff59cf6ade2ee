-- The sign-in gate throttles by the email typed and the client's address
-- group (an IPv4 address, or an IPv6 /64), so that known and unknown
-- accounts are answered alike.
ALTER TABLE login_attempts ADD COLUMN addr TEXT NOT NULL DEFAULT '';
--bun:split
UPDATE login_attempts SET addr = ip;
--bun:split
CREATE INDEX login_attempts_addr_idx ON login_attempts (addr, created_at);
--bun:split
CREATE INDEX login_attempts_email_idx ON login_attempts (email, created_at);
--bun:split

-- Sign-in tags let the platform host find which of several accounts with one
-- email a password opens with a constant number of hashes (auth/gate_tag.go).
CREATE TABLE sign_in_tags (
	account_id TEXT PRIMARY KEY,
	agency_id TEXT NOT NULL,
	tag TEXT NOT NULL
);
--bun:split

-- Operators sign in with a second factor like staff.
ALTER TABLE operators ADD COLUMN totp_secret BYTEA;
--bun:split
ALTER TABLE operators ADD COLUMN totp_enabled BOOLEAN NOT NULL DEFAULT FALSE;
--bun:split
ALTER TABLE operators ADD COLUMN totp_last_step BIGINT NOT NULL DEFAULT 0;
--bun:split
ALTER TABLE operators ADD COLUMN updated_at TIMESTAMPTZ;
