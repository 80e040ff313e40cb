-- appointments.status gets a CHECK and the end time a stored column, both of which need
-- a rebuild. Statuses the old code wrote in capitals are lower-cased first; anything
-- else unknown is 'booked' (it was never attended nor cancelled). The trigger on the
-- table goes with it and is made again; appointment_events points at appointments with
-- a CASCADE, and dbmate's connection has keys off, so the DROP deletes no event.
-- migrate:up
UPDATE appointments SET status = lower(status)
WHERE lower(status) IN ('booked', 'attended', 'cancelled', 'no_show') AND status <> lower(status);
UPDATE appointments SET status = 'booked'
WHERE status NOT IN ('booked', 'attended', 'cancelled', 'no_show');
DROP TRIGGER appointments_status_event;
CREATE TABLE appointments_new (
    id         INTEGER PRIMARY KEY,
    patient_id INTEGER NOT NULL REFERENCES patients(id) ON DELETE CASCADE,
    doctor_id  INTEGER NOT NULL REFERENCES doctors(id),
    status     TEXT NOT NULL DEFAULT 'booked'
               CHECK (status IN ('booked', 'attended', 'cancelled', 'no_show')),
    starts_at  TEXT NOT NULL,
    minutes    INTEGER NOT NULL DEFAULT 15,
    ends_at    TEXT GENERATED ALWAYS AS (datetime(starts_at, '+' || minutes || ' minutes')) STORED
);
INSERT INTO appointments_new (status, starts_at, id, doctor_id, patient_id, minutes)
SELECT status, starts_at, id, doctor_id, patient_id, minutes FROM appointments;
DROP TABLE appointments;
ALTER TABLE appointments_new RENAME TO appointments;
CREATE INDEX appointments_patient_id_idx ON appointments(patient_id);
CREATE INDEX appointments_doctor_id_idx ON appointments(doctor_id);
CREATE UNIQUE INDEX appointments_doctor_slot_key ON appointments(doctor_id, starts_at)
WHERE status <> 'cancelled';
CREATE TRIGGER appointments_status_event AFTER UPDATE OF status ON appointments
WHEN old.status IS NOT new.status
BEGIN
    INSERT INTO appointment_events (appointment_id, old_status, new_status)
    VALUES (new.id, old.status, new.status);
END;

-- migrate:down
DROP TRIGGER appointments_status_event;
CREATE TABLE appointments_old (
    id         INTEGER PRIMARY KEY,
    patient_id INTEGER NOT NULL REFERENCES patients(id) ON DELETE CASCADE,
    doctor_id  INTEGER NOT NULL REFERENCES doctors(id),
    starts_at  TEXT NOT NULL,
    minutes    INTEGER NOT NULL DEFAULT 15,
    status     TEXT NOT NULL DEFAULT 'booked'
);
INSERT INTO appointments_old (id, patient_id, doctor_id, starts_at, minutes, status)
SELECT id, patient_id, doctor_id, starts_at, minutes, status FROM appointments;
DROP TABLE appointments;
ALTER TABLE appointments_old RENAME TO appointments;
CREATE INDEX appointments_patient_id_idx ON appointments(patient_id);
CREATE INDEX appointments_doctor_id_idx ON appointments(doctor_id);
CREATE UNIQUE INDEX appointments_doctor_slot_key ON appointments(doctor_id, starts_at)
WHERE status <> 'cancelled';
CREATE TRIGGER appointments_status_event AFTER UPDATE OF status ON appointments
WHEN old.status IS NOT new.status
BEGIN
    INSERT INTO appointment_events (appointment_id, old_status, new_status)
    VALUES (new.id, old.status, new.status);
END;
