-- Tags belong to a user; the foreign key has its covering index.
CREATE TABLE IF NOT EXISTS tags (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    label TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS idx_tags_user_id ON tags(user_id);
