-- Deploy tickets:event_sales to sqlite

BEGIN;

CREATE VIEW event_sales AS
SELECT e.id AS event_id, e.title, COUNT(t.id) AS sold, COALESCE(SUM(t.price_cents), 0) AS revenue_cents
FROM events AS e
LEFT JOIN tickets AS t ON t.event_id = e.id
GROUP BY e.id, e.title;

COMMIT;
