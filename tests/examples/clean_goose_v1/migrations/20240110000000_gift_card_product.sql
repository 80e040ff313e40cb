-- A gift card product every shop sells.
-- +goose Up
INSERT OR IGNORE INTO products (sku, name, price_cents) VALUES ('GIFT-10', 'Gift card', 1000);

-- +goose Down
-- Only while no order line names it: those lines keep their product.
DELETE FROM products
WHERE sku = 'GIFT-10'
  AND NOT EXISTS (SELECT 1 FROM order_items WHERE order_items.product_id = products.id);
