-- Planted defect: albums is dropped first, while tracks.album_id still references it
-- with ON DELETE CASCADE: every track on an album is deleted before the rebuild copies
-- tracks. Rebuilding tracks first (SQLite cannot DROP COLUMN a foreign key) keeps them.
DROP TABLE albums;
CREATE TABLE tracks_old (
    id    INTEGER PRIMARY KEY,
    title TEXT NOT NULL
);
INSERT INTO tracks_old (id, title) SELECT id, title FROM tracks;
DROP TABLE tracks;
ALTER TABLE tracks_old RENAME TO tracks;
