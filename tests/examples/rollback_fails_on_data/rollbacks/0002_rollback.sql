-- Planted defect: restores NOT NULL but copies every row, so a contact saved without a
-- phone since 0002 makes the rollback fail. On an empty database it succeeds.
CREATE TABLE contacts_old (
    id    INTEGER PRIMARY KEY,
    name  TEXT NOT NULL,
    phone TEXT NOT NULL
);
INSERT INTO contacts_old (id, name, phone) SELECT id, name, phone FROM contacts;
DROP TABLE contacts;
ALTER TABLE contacts_old RENAME TO contacts;
