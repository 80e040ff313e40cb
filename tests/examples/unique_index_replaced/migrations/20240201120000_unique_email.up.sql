-- Clean twin of unique_index_skipped: the plain index is dropped first, so the
-- UNIQUE one is created (IF NOT EXISTS now guards only a re-run).
DELETE FROM users WHERE id NOT IN (SELECT min(id) FROM users GROUP BY email);
DROP INDEX IF EXISTS idx_users_email;
CREATE UNIQUE INDEX IF NOT EXISTS idx_users_email ON users (email);
