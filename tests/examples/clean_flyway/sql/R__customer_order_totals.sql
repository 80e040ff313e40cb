-- What each customer has ordered so far: re-created whenever this file changes.
DROP VIEW IF EXISTS customer_order_totals;
CREATE VIEW customer_order_totals AS
SELECT c.id AS customer_id, c.email, COUNT(o.id) AS order_count, COALESCE(SUM(o.total_cents), 0) AS total_cents
FROM customers AS c
LEFT JOIN orders AS o ON o.customer_id = c.id
GROUP BY c.id, c.email;
