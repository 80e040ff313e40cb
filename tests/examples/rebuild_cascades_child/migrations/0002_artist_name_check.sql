-- Add a CHECK to artists.name: a table rebuild. Planted defect: the runner enforces
-- foreign keys and the file does not turn them off, so DROP TABLE artists deletes every
-- artist first, and ON DELETE CASCADE deletes every track with it.
CREATE TABLE artists_new (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL CHECK (length(name) <= 500)
);
INSERT INTO artists_new (id, name) SELECT id, name FROM artists;
DROP TABLE artists;
ALTER TABLE artists_new RENAME TO artists;
