-- The last order is now computed by a query, so the column goes. Planted defect:
-- orders_remember_last still sets customers.last_order_id; SQLite drops the column
-- anyway (its schema test does not resolve an UPDATE's SET names), and every
-- INSERT INTO orders fails from now on.
ALTER TABLE customers DROP COLUMN last_order_id;
