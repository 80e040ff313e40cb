-- migrate:up
-- Emails were unique as typed; NOCASE makes ann@x.org and Ann@x.org one key and the copy
-- fails on the first such pair.
CREATE TABLE users_new (
    id    INTEGER PRIMARY KEY,
    email TEXT NOT NULL COLLATE NOCASE UNIQUE
);
INSERT INTO users_new (id, email) SELECT id, email FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
-- migrate:down
CREATE TABLE users_old (
    id    INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE
);
INSERT INTO users_old (id, email) SELECT id, email FROM users;
DROP TABLE users;
ALTER TABLE users_old RENAME TO users;
