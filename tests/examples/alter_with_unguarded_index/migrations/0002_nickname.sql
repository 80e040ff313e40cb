-- The ALTER cannot be guarded in SQLite; the index can, and is not (planted defect).
ALTER TABLE users ADD COLUMN nickname TEXT;

CREATE INDEX idx_users_nickname ON users(nickname);
