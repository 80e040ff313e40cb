CREATE TABLE IF NOT EXISTS users (
    id          INTEGER PRIMARY KEY,
    email       TEXT NOT NULL COLLATE NOCASE UNIQUE,
    login_count INTEGER NOT NULL DEFAULT 0,
    name        TEXT
);
