-- patients.phone is read from patient_phones now.
-- migrate:up
ALTER TABLE patients DROP COLUMN phone;

-- migrate:down
-- phone goes back where it was (a rebuild: ADD COLUMN would put it last), each main
-- number with it; keys are off on dbmate's connection, so appointments stay.
CREATE TABLE patients_old (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL COLLATE NOCASE,
    born_on    TEXT,
    phone      TEXT,
    created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO patients_old (id, name, born_on, phone, created_at)
SELECT p.id, p.name, p.born_on, pp.phone, p.created_at
FROM patients AS p
LEFT JOIN patient_phones AS pp ON pp.patient_id = p.id AND pp.label = 'main';
DROP TABLE patients;
ALTER TABLE patients_old RENAME TO patients;
CREATE INDEX patients_name_idx ON patients(name);
