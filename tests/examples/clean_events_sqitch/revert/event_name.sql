-- Revert tickets:event_name from sqlite

BEGIN;

DROP VIEW event_sales;
ALTER TABLE events RENAME COLUMN name TO title;
CREATE VIEW event_sales AS
SELECT e.id AS event_id, e.title, COUNT(t.id) AS sold, COALESCE(SUM(t.price_cents), 0) AS revenue_cents
FROM events AS e
LEFT JOIN tickets AS t ON t.event_id = e.id AND t.kind = 'paid'
GROUP BY e.id, e.title;

COMMIT;
