-- Planted defect: the new definition adds expires_at, but sessions already exists (made by
-- 20240101000000), so IF NOT EXISTS skips the whole statement: expires_at never exists and
-- every INSERT of a session with an expiry fails in production.
-- migrate:up
CREATE TABLE IF NOT EXISTS sessions (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL,
    token      TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
    expires_at TEXT NOT NULL DEFAULT ''
);

-- migrate:down
SELECT 1;
