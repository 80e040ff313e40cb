-- Planted defect (forward side): the copy leaves code out, so every customer's code is lost
-- (a loss on every row that has one, not only on numeric-looking text).
CREATE TABLE customers_new (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    code INTEGER
);
INSERT INTO customers_new (id, name) SELECT id, name FROM customers;
DROP TABLE customers;
ALTER TABLE customers_new RENAME TO customers;
