PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE artists_old (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL
);
INSERT INTO artists_old (id, name) SELECT id, name FROM artists;
DROP TABLE artists;
ALTER TABLE artists_old RENAME TO artists;
COMMIT;
PRAGMA foreign_keys = ON;
