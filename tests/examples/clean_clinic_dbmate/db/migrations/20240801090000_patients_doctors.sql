-- migrate:up
CREATE TABLE patients (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    born_on    TEXT,
    phone      TEXT,
    created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE TABLE doctors (
    id        INTEGER PRIMARY KEY,
    name      TEXT NOT NULL,
    specialty TEXT NOT NULL DEFAULT 'general'
);
CREATE TABLE appointments (
    id         INTEGER PRIMARY KEY,
    patient_id INTEGER NOT NULL REFERENCES patients(id) ON DELETE CASCADE,
    doctor_id  INTEGER NOT NULL REFERENCES doctors(id),
    starts_at  TEXT NOT NULL,
    minutes    INTEGER NOT NULL DEFAULT 15,
    status     TEXT NOT NULL DEFAULT 'booked'
);
CREATE INDEX appointments_patient_id_idx ON appointments(patient_id);
CREATE INDEX appointments_doctor_id_idx ON appointments(doctor_id);

-- migrate:down
DROP TABLE appointments;
DROP TABLE doctors;
DROP TABLE patients;
