-- A doctor has one live appointment at a time. Where two were booked for the same
-- start, the later booking is cancelled (the trigger records it, so the desk can call
-- the patient); then the key holds for every appointment that is not cancelled.
-- migrate:up
UPDATE appointments
SET status = 'cancelled'
WHERE status <> 'cancelled'
  AND EXISTS (
      SELECT 1 FROM appointments AS o
      WHERE o.doctor_id = appointments.doctor_id AND o.starts_at = appointments.starts_at
        AND o.status <> 'cancelled' AND o.id < appointments.id
  );
CREATE UNIQUE INDEX appointments_doctor_slot_key ON appointments(doctor_id, starts_at)
WHERE status <> 'cancelled';

-- migrate:down
DROP INDEX appointments_doctor_slot_key;
