CREATE TABLE IF NOT EXISTS users (
    id       INTEGER PRIMARY KEY,
    email    TEXT NOT NULL,
    name     TEXT NOT NULL,
    nickname TEXT
);
