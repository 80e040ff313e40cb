-- Platformatic runs no transaction around a file: the dedupe and the index are one
-- transaction of the file's own, so a failure leaves neither half.
BEGIN;
DELETE FROM attendees
WHERE id NOT IN (SELECT MAX(id) FROM attendees GROUP BY event_id, email);
CREATE UNIQUE INDEX attendees_event_email ON attendees(event_id, email);
COMMIT;
