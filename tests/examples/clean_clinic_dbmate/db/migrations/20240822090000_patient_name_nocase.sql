-- Patients are looked up by name whatever its case: the column takes NOCASE, which
-- needs a rebuild. appointments points at patients with a CASCADE, and dbmate runs the
-- file in a transaction where a PRAGMA foreign_keys would do nothing; the keys are off
-- on dbmate's connection (mattn without _fk), so the DROP deletes no appointment.
-- migrate:up
CREATE TABLE patients_new (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL COLLATE NOCASE,
    born_on    TEXT,
    phone      TEXT,
    created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO patients_new (id, name, born_on, phone, created_at)
SELECT id, name, born_on, phone, created_at FROM patients;
DROP TABLE patients;
ALTER TABLE patients_new RENAME TO patients;
CREATE INDEX patients_name_idx ON patients(name);

-- migrate:down
CREATE TABLE patients_old (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    born_on    TEXT,
    phone      TEXT,
    created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO patients_old (id, name, born_on, phone, created_at)
SELECT id, name, born_on, phone, created_at FROM patients;
DROP TABLE patients;
ALTER TABLE patients_old RENAME TO patients;
