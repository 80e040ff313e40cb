-- Verify shop:product_soft_delete on sqlite

BEGIN;

SELECT retired_at FROM products WHERE 0;
SELECT id, sku, name, price_cents FROM active_products WHERE 0;

ROLLBACK;
