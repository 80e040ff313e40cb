-- A daily sales summary, derived from orders.
CREATE TABLE daily_sales (
    day         TEXT PRIMARY KEY,
    order_count INTEGER NOT NULL,
    total_cents INTEGER NOT NULL
);
INSERT INTO daily_sales (day, order_count, total_cents)
SELECT date(created_at), COUNT(*), SUM(total_cents) FROM orders GROUP BY date(created_at);
