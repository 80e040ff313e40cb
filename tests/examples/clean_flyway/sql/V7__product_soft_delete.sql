-- Products are retired, not deleted; a view of the active ones.
ALTER TABLE products ADD COLUMN retired_at TEXT;
CREATE INDEX idx_products_active_name ON products(name) WHERE retired_at IS NULL;
CREATE VIEW active_products AS
SELECT id, sku, name, price_cents FROM products WHERE retired_at IS NULL;
