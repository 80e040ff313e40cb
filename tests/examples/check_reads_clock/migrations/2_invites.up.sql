CREATE TABLE invites (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    expires_at TEXT NOT NULL CHECK (expires_at > datetime('now'))
);
CREATE INDEX idx_invites_user ON invites(user_id);
