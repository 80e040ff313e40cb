CREATE TABLE IF NOT EXISTS orders (
    id INTEGER PRIMARY KEY,
    reference TEXT NOT NULL,
    total INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS idx_orders_reference ON orders(reference);
