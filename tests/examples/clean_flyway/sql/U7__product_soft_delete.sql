DROP VIEW active_products;
DROP INDEX idx_products_active_name;
ALTER TABLE products DROP COLUMN retired_at;
