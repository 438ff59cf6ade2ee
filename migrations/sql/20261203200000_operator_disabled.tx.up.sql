-- An operator can be disabled (`workrate operator disable`): a disabled
-- operator signs in nowhere and their sessions have ended.
ALTER TABLE operators ADD COLUMN disabled BOOLEAN NOT NULL DEFAULT FALSE;
