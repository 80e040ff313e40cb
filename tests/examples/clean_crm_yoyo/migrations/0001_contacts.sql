-- Companies and their contacts; tags are a comma-separated list for now.

CREATE TABLE companies (
    id      INTEGER PRIMARY KEY,
    name    TEXT NOT NULL,
    website TEXT
);
CREATE TABLE contacts (
    id         INTEGER PRIMARY KEY,
    company_id INTEGER REFERENCES companies(id) ON DELETE SET NULL,
    email      TEXT NOT NULL,
    name       TEXT NOT NULL,
    tags       TEXT NOT NULL DEFAULT '',
    deleted    INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))
);
CREATE INDEX contacts_company_id_idx ON contacts(company_id);
