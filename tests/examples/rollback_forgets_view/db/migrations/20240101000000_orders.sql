-- migrate:up
CREATE TABLE orders (id INTEGER PRIMARY KEY, total INTEGER NOT NULL, status TEXT NOT NULL);
CREATE VIEW open_orders AS SELECT id, total FROM orders WHERE status = 'open';

-- migrate:down
DROP VIEW open_orders;
DROP TABLE orders;
