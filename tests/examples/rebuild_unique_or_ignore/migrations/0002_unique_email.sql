-- Planted defect: the new UNIQUE would refuse duplicate emails, so the copy says
-- OR IGNORE, and every account sharing an email with an older one silently disappears.
CREATE TABLE users_new (
    id    INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE
);
INSERT OR IGNORE INTO users_new (id, email) SELECT id, email FROM users ORDER BY id;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
