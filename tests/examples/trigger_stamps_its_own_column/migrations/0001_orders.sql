CREATE TABLE IF NOT EXISTS orders (
    id         INTEGER PRIMARY KEY,
    customer   TEXT NOT NULL,
    total      REAL NOT NULL,
    updated_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
-- A change of the customer or the total stamps an order, so the sync job resends only what changed.
CREATE TRIGGER IF NOT EXISTS orders_touch AFTER UPDATE OF customer, total ON orders
BEGIN
    UPDATE orders SET updated_at = CURRENT_TIMESTAMP WHERE id = NEW.id;
END;
