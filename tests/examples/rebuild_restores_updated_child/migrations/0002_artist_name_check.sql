-- The clean twin of rebuild_cascades_updated_child: the file deletes the tracks it means
-- to (its own word), keeps the others aside while artists is rebuilt (D1 enforces keys,
-- so DROP TABLE artists cascades into tracks) and puts them back.
DELETE FROM tracks WHERE plays < 0;
UPDATE tracks SET plays = plays + 1 WHERE plays = 0;
CREATE TABLE tracks_kept AS SELECT * FROM tracks;
CREATE TABLE artists_new (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL CHECK (length(name) <= 500)
);
INSERT INTO artists_new (id, name) SELECT id, name FROM artists;
DROP TABLE artists;
ALTER TABLE artists_new RENAME TO artists;
INSERT INTO tracks (id, artist_id, title, plays)
    SELECT id, artist_id, title, plays FROM tracks_kept;
DROP TABLE tracks_kept;
