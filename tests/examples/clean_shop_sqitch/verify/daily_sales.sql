-- Verify shop:daily_sales on sqlite

BEGIN;

SELECT day, order_count, total_cents FROM daily_sales WHERE 0;

ROLLBACK;
