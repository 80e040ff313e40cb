-- Two independent planted defects in one file, each in its own table:
-- 1. making contacts.phone NOT NULL, the copy skips contacts without a phone;
-- 2. reordering people's columns, SELECT * copies by position and swaps the names.
CREATE TABLE contacts_new (
    id    INTEGER PRIMARY KEY,
    name  TEXT NOT NULL,
    phone TEXT NOT NULL
);
INSERT INTO contacts_new (id, name, phone)
    SELECT id, name, phone FROM contacts WHERE phone IS NOT NULL;
DROP TABLE contacts;
ALTER TABLE contacts_new RENAME TO contacts;

CREATE TABLE people_new (
    id         INTEGER PRIMARY KEY,
    last_name  TEXT NOT NULL,
    first_name TEXT NOT NULL
);
INSERT INTO people_new SELECT * FROM people;
DROP TABLE people;
ALTER TABLE people_new RENAME TO people;
