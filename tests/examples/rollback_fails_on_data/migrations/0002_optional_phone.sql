-- Make phone optional: SQLite cannot drop NOT NULL in place, so rebuild the table.
CREATE TABLE contacts_new (
    id    INTEGER PRIMARY KEY,
    name  TEXT NOT NULL,
    phone TEXT
);
INSERT INTO contacts_new (id, name, phone) SELECT id, name, phone FROM contacts;
DROP TABLE contacts;
ALTER TABLE contacts_new RENAME TO contacts;
