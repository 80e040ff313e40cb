-- Soft-deleted contacts move to an archive table (every column kept), out of the way
-- of the live queries; their tags stay in the archived row as text.
-- depends: 0001_contacts

CREATE TABLE archived_contacts (
    id          INTEGER PRIMARY KEY,
    company_id  INTEGER,
    email       TEXT NOT NULL,
    name        TEXT NOT NULL,
    tags        TEXT NOT NULL,
    archived_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO archived_contacts (id, company_id, email, name, tags)
SELECT id, company_id, email, name, tags FROM contacts WHERE deleted = 1;
DELETE FROM contacts WHERE deleted = 1;
