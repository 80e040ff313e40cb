-- Planted defect: the index is meant to become UNIQUE, but one named idx_users_email
-- is already there (plain, from 20240101120000). IF NOT EXISTS skips by name, so email
-- never becomes unique: duplicates keep getting in, and ON CONFLICT (email) upserts fail.
DELETE FROM users WHERE id NOT IN (SELECT min(id) FROM users GROUP BY email);
CREATE UNIQUE INDEX IF NOT EXISTS idx_users_email ON users (email);
