-- Revert tickets:merge_comp_tickets from sqlite

BEGIN;

CREATE TABLE comp_tickets (
    id           INTEGER PRIMARY KEY,
    event_id     INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    holder_email TEXT NOT NULL,
    reason       TEXT NOT NULL,
    issued_at    TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX comp_tickets_event_id_idx ON comp_tickets(event_id);
INSERT INTO comp_tickets (id, event_id, holder_email, reason, issued_at)
SELECT legacy_comp_id, event_id, holder_email, comp_reason, sold_at
FROM tickets WHERE kind = 'comp';
DELETE FROM tickets WHERE kind = 'comp';
DROP VIEW event_sales;
ALTER TABLE tickets DROP COLUMN legacy_comp_id;
ALTER TABLE tickets DROP COLUMN comp_reason;
ALTER TABLE tickets DROP COLUMN kind;
CREATE VIEW event_sales AS
SELECT e.id AS event_id, e.title, COUNT(t.id) AS sold, COALESCE(SUM(t.price_cents), 0) AS revenue_cents
FROM events AS e
LEFT JOIN tickets AS t ON t.event_id = e.id
GROUP BY e.id, e.title;

COMMIT;
