-- Wrapped the way wrangler strips it: its literal begin-transaction and first commit lines
-- never reach D1. Large integers and BLOBs cross the engine as SQL literals.
BEGIN TRANSACTION;
CREATE TABLE IF NOT EXISTS owners (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS counters (
    id       INTEGER PRIMARY KEY,
    owner_id INTEGER REFERENCES owners(id) ON DELETE CASCADE,
    total    INTEGER NOT NULL DEFAULT 0,
    digest   BLOB,
    ratio    REAL
);
CREATE INDEX IF NOT EXISTS idx_counters_owner ON counters(owner_id);
INSERT OR IGNORE INTO owners (id, name) VALUES (9007199254740993, 'it''s
two lines');
INSERT OR IGNORE INTO counters (id, owner_id, total, digest, ratio) VALUES
    (1, 9007199254740993, 9223372036854775807, X'00FF10', 0.1),
    (2, NULL, -9223372036854775808, X'', 1e300);
COMMIT;
