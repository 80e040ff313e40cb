-- Reset negative play counts, then add a CHECK to artists.name with a table rebuild.
-- Planted defect: D1 enforces foreign keys, so DROP TABLE artists deletes every artist
-- first and ON DELETE CASCADE deletes every track with it. The file's own UPDATE of
-- tracks touches only the negative counts; the cascade takes every track.
UPDATE tracks SET plays = 0 WHERE plays < 0;
CREATE TABLE artists_new (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL CHECK (length(name) <= 500)
);
INSERT INTO artists_new (id, name) SELECT id, name FROM artists;
DROP TABLE artists;
ALTER TABLE artists_new RENAME TO artists;
