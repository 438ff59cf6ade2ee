-- One row that /readyz rewrites (at most every few seconds per instance) to
-- prove that the database still accepts writes: a full disk or a read-only
-- database makes the instance unready. It holds no data.
CREATE TABLE health_probes (
    id INTEGER PRIMARY KEY,
    checked_at TIMESTAMP NOT NULL
);
