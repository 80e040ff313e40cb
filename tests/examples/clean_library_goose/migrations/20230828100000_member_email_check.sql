-- members.email must hold an '@' after something. The few rows without an address get
-- a placeholder the desk will ask about.
-- members is the parent of checkouts and reservations (whose CASCADE a DROP TABLE
-- would fire), so keys go off around the rebuild. goose's transaction would ignore the
-- pragma: this file runs without it and opens its own, checking the keys before it
-- commits.
-- +goose NO TRANSACTION
-- +goose Up
PRAGMA foreign_keys = OFF;
BEGIN;
UPDATE members SET email = 'member-' || id || '@invalid.example' WHERE instr(email, '@') < 2;
CREATE TABLE members_new (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    email        TEXT NOT NULL CHECK (instr(email, '@') > 1),
    phone_number TEXT,
    joined_at    TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO members_new (id, email, name, joined_at, phone_number)
SELECT id, email, name, joined_at, phone_number FROM members;
DROP TABLE members;
ALTER TABLE members_new RENAME TO members;
CREATE UNIQUE INDEX members_email_key ON members(email COLLATE NOCASE);
PRAGMA foreign_key_check;
COMMIT;
PRAGMA foreign_keys = ON;
-- +goose Down
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE members_old (
    id           INTEGER PRIMARY KEY,
    email        TEXT NOT NULL,
    name         TEXT NOT NULL,
    joined_at    TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
    phone_number TEXT
);
INSERT INTO members_old (id, email, name, joined_at, phone_number)
SELECT id, email, name, joined_at, phone_number FROM members;
DROP TABLE members;
ALTER TABLE members_old RENAME TO members;
CREATE UNIQUE INDEX members_email_key ON members(email COLLATE NOCASE);
COMMIT;
PRAGMA foreign_keys = ON;
