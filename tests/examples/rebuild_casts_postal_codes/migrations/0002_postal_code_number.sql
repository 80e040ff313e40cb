-- Store postal codes as numbers. Planted defect: CAST drops the leading zeros, so
-- '00501' becomes 501 and no longer says which postal code it was.
CREATE TABLE customers_new (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    postal_code INTEGER NOT NULL
);
INSERT INTO customers_new (id, name, postal_code)
    SELECT id, name, CAST(postal_code AS INTEGER) FROM customers;
DROP TABLE customers;
ALTER TABLE customers_new RENAME TO customers;
