-- Products are retired, not deleted; a view of the active ones.
-- +goose Up
ALTER TABLE products ADD COLUMN retired_at TEXT;
CREATE INDEX idx_products_active_name ON products(name) WHERE retired_at IS NULL;
CREATE VIEW active_products AS
SELECT id, sku, name, price_cents FROM products WHERE retired_at IS NULL;

-- +goose Down
DROP VIEW active_products;
DROP INDEX idx_products_active_name;
ALTER TABLE products DROP COLUMN retired_at;
