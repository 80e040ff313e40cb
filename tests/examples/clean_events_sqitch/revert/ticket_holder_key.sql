-- Revert tickets:ticket_holder_key from sqlite

BEGIN;

DROP INDEX tickets_event_holder_key;
ALTER TABLE tickets DROP COLUMN refunded_at;

COMMIT;
