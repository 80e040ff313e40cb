-- Migration 0007: move authentication to Clerk.
--   users.clerk_id      - added, unique when set (NULL for accounts not yet linked)
--   users.password_hash - removed (Clerk owns credentials now)
-- Uses ALTER TABLE, not a table rebuild: on D1 foreign keys are always enforced,
-- and dropping the old users table during a rebuild would cascade into artists,
-- tracks and every other child table.
-- NOT safe to run twice: SQLite cannot guard ADD COLUMN / DROP COLUMN.
-- Irreversible data loss: password hashes are gone for good (the rollback
-- re-creates the column empty).

ALTER TABLE users ADD COLUMN clerk_id TEXT;

CREATE UNIQUE INDEX IF NOT EXISTS idx_users_clerk_id ON users(clerk_id);

ALTER TABLE users DROP COLUMN password_hash;
