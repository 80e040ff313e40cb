CREATE TABLE IF NOT EXISTS sessions (
    id         INTEGER PRIMARY KEY,
    user_agent TEXT NOT NULL,
    is_bot     INTEGER NOT NULL DEFAULT 0
);
