-- Planted defect (rollback side): the copy back keeps only customers that have a code,
-- so rolling back deletes every customer without one.
CREATE TABLE customers_old (id INTEGER PRIMARY KEY, name TEXT NOT NULL, code TEXT);
INSERT INTO customers_old SELECT id, name, code FROM customers WHERE code IS NOT NULL;
DROP TABLE customers;
ALTER TABLE customers_old RENAME TO customers;
