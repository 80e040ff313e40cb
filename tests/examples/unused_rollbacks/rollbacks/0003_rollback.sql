CREATE TABLE customers_old (id INTEGER PRIMARY KEY, name TEXT NOT NULL, code TEXT);
INSERT INTO customers_old SELECT id, name, code FROM customers;
DROP TABLE customers;
ALTER TABLE customers_old RENAME TO customers;
