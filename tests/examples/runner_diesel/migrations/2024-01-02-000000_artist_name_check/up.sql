-- Add a CHECK to artists.name: SQLite's table rebuild. It is only safe with foreign keys
-- off; tracks cascades from artists, so DROP TABLE artists with keys on deletes every track.
PRAGMA foreign_keys=OFF;
CREATE TABLE artists_new (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL CHECK (length(name) <= 500)
);
INSERT INTO artists_new (id, name) SELECT id, name FROM artists;
DROP TABLE artists;
ALTER TABLE artists_new RENAME TO artists;
PRAGMA foreign_keys=ON;
