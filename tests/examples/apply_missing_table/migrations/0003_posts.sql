CREATE TABLE IF NOT EXISTS posts (
    id        INTEGER PRIMARY KEY,
    author_id INTEGER NOT NULL REFERENCES users(id),
    title     TEXT NOT NULL
);
