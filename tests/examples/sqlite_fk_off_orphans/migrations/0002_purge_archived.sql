-- Drop the status column and purge archived artists, following SQLite's rebuild recipe
-- (foreign keys off, own transaction). Planted defect: the recipe's
-- PRAGMA foreign_key_check before COMMIT is missing, and with foreign keys off the
-- CASCADE never fires, so the archived artists' tracks stay behind as orphans.
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE artists_new (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL
);
INSERT INTO artists_new (id, name) SELECT id, name FROM artists WHERE status = 'active';
DROP TABLE artists;
ALTER TABLE artists_new RENAME TO artists;
COMMIT;
PRAGMA foreign_keys = ON;
