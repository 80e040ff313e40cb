-- An audit log of order status changes.
CREATE TABLE order_events (
    id         INTEGER PRIMARY KEY,
    order_id   INTEGER NOT NULL,
    old_status TEXT,
    new_status TEXT NOT NULL,
    at         TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX idx_order_events_order ON order_events(order_id);
CREATE TRIGGER orders_status_audit AFTER UPDATE OF status ON orders
WHEN old.status IS NOT new.status
BEGIN
    INSERT INTO order_events (order_id, old_status, new_status) VALUES (new.id, old.status, new.status);
END;
