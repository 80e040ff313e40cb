-- Planted defect: emails were never unique, so a database holding two accounts with one
-- email refuses the index. An empty database accepts it.
CREATE UNIQUE INDEX IF NOT EXISTS idx_users_email ON users(email);
