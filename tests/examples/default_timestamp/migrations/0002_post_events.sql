-- Record when each post event happened: the DEFAULT is the time of the insert.
CREATE TABLE post_events (
    id INTEGER PRIMARY KEY,
    post_id INTEGER NOT NULL REFERENCES posts(id),
    kind TEXT NOT NULL,
    happened_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX post_events_post_id ON post_events(post_id);
