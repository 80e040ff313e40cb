-- Lookups by SKU only ever want products still sold.
CREATE INDEX products_active_sku_idx ON products(sku) WHERE discontinued_at IS NULL;
