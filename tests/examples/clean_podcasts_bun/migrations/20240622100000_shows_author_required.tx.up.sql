-- author becomes required. bun leaves the keys off (sqliteshim sets no pragma), so the
-- DROP of the parent deletes no episode; the copy keeps every id.
UPDATE shows SET author = 'Unknown' WHERE author IS NULL OR trim(author) = '';
--bun:split
CREATE TABLE shows_new (
    id         INTEGER PRIMARY KEY,
    feed_url   TEXT NOT NULL,
    title      TEXT NOT NULL,
    author     TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
--bun:split
INSERT INTO shows_new (id, feed_url, title, author, created_at)
SELECT id, feed_url, title, author, created_at FROM shows;
--bun:split
DROP TABLE shows;
--bun:split
ALTER TABLE shows_new RENAME TO shows;
--bun:split
CREATE UNIQUE INDEX shows_feed_url ON shows(feed_url);
