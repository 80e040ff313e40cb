-- Prices can no longer be negative (a negative price was a refund typed in the wrong
-- screen: those become 0), and products record when they were discontinued.
-- products is the parent of stock (ON DELETE CASCADE), so the rebuild runs with keys
-- off: V4__product_price_check.sql.conf runs this script outside Flyway's transaction,
-- where the pragma takes effect, and the script opens its own around the rebuild.
PRAGMA foreign_keys = OFF;
BEGIN;
UPDATE products SET price_cents = 0 WHERE price_cents < 0;
CREATE TABLE products_new (
    id              INTEGER PRIMARY KEY,
    sku             TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL,
    price_cents     INTEGER NOT NULL CHECK (price_cents >= 0),
    discontinued_at TEXT
);
INSERT INTO products_new (sku, id, price_cents, name)
SELECT sku, id, price_cents, name FROM products;
DROP TABLE products;
ALTER TABLE products_new RENAME TO products;
PRAGMA foreign_key_check;
COMMIT;
PRAGMA foreign_keys = ON;
