-- Rollback 0007: restore the pre-Clerk users table shape.
-- The index must go before its column (SQLite refuses to drop an indexed column).
-- password_hash comes back as the last column, exactly where 0001 put it, but
-- every value is NULL: the hashes dropped by 0007 cannot be recovered.
-- clerk_id values are lost.
DROP INDEX IF EXISTS idx_users_clerk_id;

ALTER TABLE users DROP COLUMN clerk_id;

ALTER TABLE users ADD COLUMN password_hash TEXT;
