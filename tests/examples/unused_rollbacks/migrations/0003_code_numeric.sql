-- Planted defect (forward side): INTEGER affinity turns '007' into 7: leading zeros lost.
CREATE TABLE customers_new (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    code INTEGER
);
INSERT INTO customers_new (id, name, code) SELECT id, name, code FROM customers;
DROP TABLE customers;
ALTER TABLE customers_new RENAME TO customers;
