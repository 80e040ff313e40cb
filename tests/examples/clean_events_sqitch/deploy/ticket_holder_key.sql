-- Deploy tickets:ticket_holder_key to sqlite
-- requires: venue_name_key

BEGIN;

-- A holder has one live ticket per event, whatever the case of the email. Of a
-- holder's several tickets the oldest stays live; the later ones are marked refunded
-- (the desk pays them back) and keep their row.
ALTER TABLE tickets ADD COLUMN refunded_at TEXT;
UPDATE tickets
SET refunded_at = CURRENT_TIMESTAMP
WHERE EXISTS (
    SELECT 1 FROM tickets AS o
    WHERE o.event_id = tickets.event_id AND o.holder_email = tickets.holder_email COLLATE NOCASE
      AND o.id < tickets.id
);
CREATE UNIQUE INDEX tickets_event_holder_key ON tickets(event_id, holder_email COLLATE NOCASE)
WHERE refunded_at IS NULL;

COMMIT;
