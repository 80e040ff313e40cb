-- Limit name to 100 characters by rebuilding users, every column's definition copied
-- from the old CREATE TABLE: rebuild_drops_default_collate's quiet twin.
CREATE TABLE users_new (
    id          INTEGER PRIMARY KEY,
    email       TEXT NOT NULL COLLATE NOCASE UNIQUE,
    login_count INTEGER NOT NULL DEFAULT 0,
    name        TEXT CHECK (length(name) <= 100)
);
INSERT INTO users_new (id, email, login_count, name)
    SELECT id, email, login_count, substr(name, 1, 100) FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
