-- SQLite's table rebuild, with foreign keys off so that DROP TABLE artists does not
-- cascade into tracks. Flyway runs PRAGMA foreign_keys outside any transaction and
-- refuses a script that mixes it with other statements.
PRAGMA foreign_keys=OFF;
CREATE TABLE artists_new (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL CHECK (length(name) <= 200)
);
INSERT INTO artists_new (id, name) SELECT id, substr(name, 1, 200) FROM artists;
DROP TABLE artists;
ALTER TABLE artists_new RENAME TO artists;
PRAGMA foreign_keys=ON;
