-- Every status change of an appointment is kept, by a trigger writing another table.
-- migrate:up
CREATE TABLE appointment_events (
    id             INTEGER PRIMARY KEY,
    appointment_id INTEGER NOT NULL REFERENCES appointments(id) ON DELETE CASCADE,
    old_status     TEXT NOT NULL,
    new_status     TEXT NOT NULL,
    at             TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX appointment_events_appointment_id_idx ON appointment_events(appointment_id);
CREATE TRIGGER appointments_status_event AFTER UPDATE OF status ON appointments
WHEN old.status IS NOT new.status
BEGIN
    INSERT INTO appointment_events (appointment_id, old_status, new_status)
    VALUES (new.id, old.status, new.status);
END;

-- migrate:down
DROP TRIGGER appointments_status_event;
DROP TABLE appointment_events;
