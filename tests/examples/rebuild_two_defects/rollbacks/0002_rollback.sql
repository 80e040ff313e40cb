CREATE TABLE contacts_old (
    id    INTEGER PRIMARY KEY,
    name  TEXT NOT NULL,
    phone TEXT
);
INSERT INTO contacts_old (id, name, phone) SELECT id, name, phone FROM contacts;
DROP TABLE contacts;
ALTER TABLE contacts_old RENAME TO contacts;

CREATE TABLE people_old (
    id         INTEGER PRIMARY KEY,
    first_name TEXT NOT NULL,
    last_name  TEXT NOT NULL
);
INSERT INTO people_old (id, first_name, last_name) SELECT id, first_name, last_name FROM people;
DROP TABLE people;
ALTER TABLE people_old RENAME TO people;
