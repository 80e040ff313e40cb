-- Planted defect: making phone NOT NULL, the copy skips contacts without one instead of
-- backfilling them. Nothing is lost unless some phone is NULL.
CREATE TABLE contacts_new (
    id    INTEGER PRIMARY KEY,
    name  TEXT NOT NULL,
    phone TEXT NOT NULL
);
INSERT INTO contacts_new (id, name, phone)
    SELECT id, name, phone FROM contacts WHERE phone IS NOT NULL;
DROP TABLE contacts;
ALTER TABLE contacts_new RENAME TO contacts;
