CREATE TABLE IF NOT EXISTS notes(
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    body TEXT
);
CREATE INDEX IF NOT EXISTS idx_notes_user_id ON notes(user_id);
