-- A rebuild under deferred foreign keys that keeps every id: the child rows survive.
PRAGMA defer_foreign_keys = ON;
CREATE TABLE counters_new (
    id       INTEGER PRIMARY KEY,
    owner_id INTEGER REFERENCES owners(id) ON DELETE CASCADE,
    total    INTEGER NOT NULL DEFAULT 0,
    digest   BLOB,
    ratio    REAL,
    label    TEXT
);
INSERT INTO counters_new (id, owner_id, total, digest, ratio)
    SELECT id, owner_id, total, digest, ratio FROM counters;
DROP TABLE counters;
ALTER TABLE counters_new RENAME TO counters;
CREATE INDEX IF NOT EXISTS idx_counters_owner ON counters(owner_id);
PRAGMA defer_foreign_keys = OFF;
