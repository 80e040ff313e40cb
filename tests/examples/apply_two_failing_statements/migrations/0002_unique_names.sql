-- Two independent planted defects: each UNIQUE index fails on the duplicates its table
-- already allows. Data with duplicate emails fails at the first statement and hides the
-- second; data with duplicate tag names only fails at the second.
CREATE UNIQUE INDEX IF NOT EXISTS idx_users_email ON users(email);
CREATE UNIQUE INDEX IF NOT EXISTS idx_tags_name ON tags(name);
