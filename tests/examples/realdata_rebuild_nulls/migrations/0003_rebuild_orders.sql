-- Pending in production. Planted defect: the rebuild keeps only the orders of customers
-- with a nickname (the copy's users 5, 10, ... have none) and rewrites every total.
CREATE TABLE orders_new (
    id      INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    total   INTEGER NOT NULL
);
INSERT INTO orders_new (id, user_id, total)
    SELECT id, user_id, total - 1 FROM orders
    WHERE user_id IN (SELECT id FROM users WHERE nickname IS NOT NULL);
DROP TABLE orders;
ALTER TABLE orders_new RENAME TO orders;
CREATE INDEX IF NOT EXISTS orders_user_id ON orders (user_id);
