-- Verify shop:order_item_totals on sqlite

BEGIN;

SELECT line_cents FROM order_items WHERE 0;

ROLLBACK;
