-- Verify shop:shop on sqlite

BEGIN;

SELECT id, email, full_name, phone, meta FROM customers WHERE 0;
SELECT id, sku, name, price_cents FROM products WHERE 0;
SELECT id, customer_id, status, total_cents, created_at FROM orders WHERE 0;
SELECT id, order_id, product_id, qty, price_cents FROM order_items WHERE 0;

ROLLBACK;
