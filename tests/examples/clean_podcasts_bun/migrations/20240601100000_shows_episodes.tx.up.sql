CREATE TABLE shows (
    id         INTEGER PRIMARY KEY,
    title      TEXT NOT NULL,
    author     TEXT,
    feed_url   TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
--bun:split
CREATE TABLE episodes (
    id           INTEGER PRIMARY KEY,
    show_id      INTEGER NOT NULL REFERENCES shows(id) ON DELETE CASCADE,
    guid         TEXT NOT NULL,
    title        TEXT NOT NULL,
    duration     TEXT,
    published_at TEXT
);
--bun:split
CREATE UNIQUE INDEX episodes_guid ON episodes(show_id, guid);
