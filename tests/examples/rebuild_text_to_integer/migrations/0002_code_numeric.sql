-- Rebuild to make the code column numeric. Planted defect: INTEGER affinity turns
-- '007' into 7 and '1.50' into 1.5: leading zeros and trailing decimals are lost.
CREATE TABLE customers_new (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    code INTEGER
);
INSERT INTO customers_new (id, name, code) SELECT id, name, code FROM customers;
DROP TABLE customers;
ALTER TABLE customers_new RENAME TO customers;
