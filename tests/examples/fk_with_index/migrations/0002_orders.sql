-- Both foreign keys are covered: user_id by the leftmost column of a composite index,
-- order_id by the composite primary key of order_items.
CREATE TABLE IF NOT EXISTS orders (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    placed_at   TEXT NOT NULL,
    total_cents INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS idx_orders_user_placed ON orders(user_id, placed_at);
CREATE TABLE IF NOT EXISTS order_items (
    order_id INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    line     INTEGER NOT NULL,
    sku      TEXT NOT NULL,
    PRIMARY KEY (order_id, line)
);
