-- Products are retired, not deleted; a view of the active ones.
-- migrate:up
ALTER TABLE products ADD COLUMN retired_at TEXT;
CREATE INDEX idx_products_active_name ON products(name) WHERE retired_at IS NULL;
CREATE VIEW active_products AS
SELECT id, sku, name, price_cents FROM products WHERE retired_at IS NULL;

-- migrate:down
DROP VIEW active_products;
DROP INDEX idx_products_active_name;
ALTER TABLE products DROP COLUMN retired_at;
