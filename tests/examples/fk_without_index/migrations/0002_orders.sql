-- Planted defect: orders.user_id has no index, so deleting a user scans every order.
CREATE TABLE IF NOT EXISTS orders (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    total_cents INTEGER NOT NULL DEFAULT 0
);
