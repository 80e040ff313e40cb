CREATE INDEX IF NOT EXISTS idx_users_name ON users(name);
