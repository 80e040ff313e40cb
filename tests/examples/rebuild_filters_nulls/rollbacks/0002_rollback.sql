CREATE TABLE contacts_old (
    id    INTEGER PRIMARY KEY,
    name  TEXT NOT NULL,
    phone TEXT
);
INSERT INTO contacts_old (id, name, phone) SELECT id, name, phone FROM contacts;
DROP TABLE contacts;
ALTER TABLE contacts_old RENAME TO contacts;
