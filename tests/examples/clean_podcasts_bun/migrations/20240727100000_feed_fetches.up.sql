CREATE TABLE IF NOT EXISTS feed_fetches (
    show_id    INTEGER NOT NULL,
    fetched_at TEXT NOT NULL,
    status     INTEGER NOT NULL,
    etag       TEXT,
    PRIMARY KEY (show_id, fetched_at)
) WITHOUT ROWID;
