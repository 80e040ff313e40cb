-- Rebuild without sku. Planted defect: the table is re-typed from memory, and two
-- columns come back different (NUMERIC instead of INTEGER, 'USD' instead of 'EUR').
CREATE TABLE products_old (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    price_cents NUMERIC NOT NULL DEFAULT 0,
    currency    TEXT NOT NULL DEFAULT 'USD'
);
INSERT INTO products_old (id, name, price_cents, currency)
    SELECT id, name, price_cents, currency FROM products;
DROP TABLE products;
ALTER TABLE products_old RENAME TO products;
