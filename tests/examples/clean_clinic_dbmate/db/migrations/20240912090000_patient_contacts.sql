-- Patients may have several phone numbers: they move to patient_phones, each patient's
-- one number becoming its 'main' entry. The column stays until the app reads the table
-- (dropped by the next migration).
-- migrate:up
CREATE TABLE patient_phones (
    patient_id INTEGER NOT NULL REFERENCES patients(id) ON DELETE CASCADE,
    label      TEXT NOT NULL DEFAULT 'main',
    phone      TEXT NOT NULL,
    PRIMARY KEY (patient_id, label)
) WITHOUT ROWID;
INSERT INTO patient_phones (patient_id, label, phone)
SELECT id, 'main', phone FROM patients WHERE phone IS NOT NULL;

-- migrate:down
DROP TABLE patient_phones;
