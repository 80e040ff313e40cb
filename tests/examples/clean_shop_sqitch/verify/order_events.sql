-- Verify shop:order_events on sqlite

BEGIN;

SELECT id, order_id, old_status, new_status, at FROM order_events WHERE 0;

ROLLBACK;
