-- The clean twin of rollback_cascades_updated_child: the tracks are kept aside while
-- artists is rebuilt (the DROP cascades under sqlx's keys) and put back.
UPDATE tracks SET plays = 0 WHERE plays < 0;
ALTER TABLE tracks DROP COLUMN explicit;
CREATE TABLE tracks_kept AS SELECT * FROM tracks;
CREATE TABLE artists_old (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
INSERT INTO artists_old (id, name) SELECT id, name FROM artists;
DROP TABLE artists;
ALTER TABLE artists_old RENAME TO artists;
INSERT INTO tracks (id, artist_id, title, plays)
    SELECT id, artist_id, title, plays FROM tracks_kept;
DROP TABLE tracks_kept;
