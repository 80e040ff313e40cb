-- Verify tickets:event_sales on sqlite

BEGIN;

SELECT event_id, title, sold, revenue_cents FROM event_sales WHERE 0;

ROLLBACK;
