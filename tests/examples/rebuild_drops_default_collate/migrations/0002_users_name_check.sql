-- Limit name to 100 characters by rebuilding users. Planted defect: the new table is
-- typed from memory and loses email's COLLATE NOCASE and login_count's DEFAULT 0; every
-- value is copied, but the application's next sign-up (no login_count) fails and
-- e-mail lookups turn case-sensitive.
CREATE TABLE users_new (
    id          INTEGER PRIMARY KEY,
    email       TEXT NOT NULL UNIQUE,
    login_count INTEGER NOT NULL,
    name        TEXT CHECK (length(name) <= 100)
);
INSERT INTO users_new (id, email, login_count, name)
    SELECT id, email, login_count, substr(name, 1, 100) FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
