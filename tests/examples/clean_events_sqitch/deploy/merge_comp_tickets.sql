-- Deploy tickets:merge_comp_tickets to sqlite
-- requires: event_sales

BEGIN;

-- Every complimentary ticket becomes a ticket of kind 'comp' (price 0, its reason
-- kept), under a new id after the last paid one; legacy_comp_id keeps its old id so the
-- revert can give it back. Then comp_tickets goes. The sales view counts paid tickets.
ALTER TABLE tickets ADD COLUMN kind TEXT NOT NULL DEFAULT 'paid' CHECK (kind IN ('paid', 'comp'));
ALTER TABLE tickets ADD COLUMN comp_reason TEXT;
ALTER TABLE tickets ADD COLUMN legacy_comp_id INTEGER;
INSERT INTO tickets (id, event_id, holder_email, price_cents, sold_at, kind, comp_reason, legacy_comp_id)
SELECT
    (SELECT COALESCE(MAX(id), 0) FROM tickets) + ROW_NUMBER() OVER (ORDER BY c.id),
    c.event_id, c.holder_email, 0, c.issued_at, 'comp', c.reason, c.id
FROM comp_tickets AS c;
DROP TABLE comp_tickets;
DROP VIEW event_sales;
CREATE VIEW event_sales AS
SELECT e.id AS event_id, e.title, COUNT(t.id) AS sold, COALESCE(SUM(t.price_cents), 0) AS revenue_cents
FROM events AS e
LEFT JOIN tickets AS t ON t.event_id = e.id AND t.kind = 'paid'
GROUP BY e.id, e.title;

COMMIT;
