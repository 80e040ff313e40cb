-- Deploy tickets:event_name to sqlite
-- requires: merge_comp_tickets

BEGIN;

-- The view names the column: it is dropped first and made again over the new name.
DROP VIEW event_sales;
ALTER TABLE events RENAME COLUMN title TO name;
CREATE VIEW event_sales AS
SELECT e.id AS event_id, e.name, COUNT(t.id) AS sold, COALESCE(SUM(t.price_cents), 0) AS revenue_cents
FROM events AS e
LEFT JOIN tickets AS t ON t.event_id = e.id AND t.kind = 'paid'
GROUP BY e.id, e.name;

COMMIT;
