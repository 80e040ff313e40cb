CREATE TABLE shows_old (
    id         INTEGER PRIMARY KEY,
    title      TEXT NOT NULL,
    author     TEXT,
    feed_url   TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
--bun:split
INSERT INTO shows_old (id, title, author, feed_url, created_at)
SELECT id, title, author, feed_url, created_at FROM shows;
--bun:split
DROP TABLE shows;
--bun:split
ALTER TABLE shows_old RENAME TO shows;
--bun:split
CREATE UNIQUE INDEX shows_feed_url ON shows(feed_url);
