CREATE TABLE IF NOT EXISTS shops (id INTEGER PRIMARY KEY, code TEXT NOT NULL);
CREATE UNIQUE INDEX IF NOT EXISTS idx_shops_code ON shops(code);
CREATE TABLE IF NOT EXISTS products (
    id        INTEGER PRIMARY KEY,
    shop_code TEXT NOT NULL REFERENCES shops(code),
    name      TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS idx_products_shop ON products(shop_code);
