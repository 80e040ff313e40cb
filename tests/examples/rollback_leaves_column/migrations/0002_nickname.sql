ALTER TABLE users ADD COLUMN nickname TEXT;
CREATE INDEX IF NOT EXISTS idx_users_nickname ON users(nickname);
