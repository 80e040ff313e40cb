-- Add a rating with a CHECK: SQLite needs a rebuild, which re-creates the trigger
-- DROP TABLE takes with the old table.
CREATE TABLE tracks_new (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    updated_at TEXT,
    rating INTEGER NOT NULL DEFAULT 0 CHECK (rating BETWEEN 0 AND 5)
);
INSERT INTO tracks_new (id, title, updated_at) SELECT id, title, updated_at FROM tracks;
DROP TABLE tracks;
ALTER TABLE tracks_new RENAME TO tracks;
CREATE TRIGGER tracks_touch AFTER UPDATE OF title ON tracks
BEGIN
    UPDATE tracks SET updated_at = CURRENT_TIMESTAMP WHERE id = NEW.id;
END;
