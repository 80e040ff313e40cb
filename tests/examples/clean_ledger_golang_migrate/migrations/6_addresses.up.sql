-- Addresses move out of customers into a table of their own (one per customer for now).
-- Every customer with any part of an address gets its row; then the columns go.
CREATE TABLE addresses (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL UNIQUE REFERENCES customers(id) ON DELETE CASCADE,
    street      TEXT,
    city        TEXT,
    postcode    TEXT
);
INSERT INTO addresses (customer_id, street, city, postcode)
SELECT id, street, city, postcode FROM customers
WHERE street IS NOT NULL OR city IS NOT NULL OR postcode IS NOT NULL;
ALTER TABLE customers DROP COLUMN street;
ALTER TABLE customers DROP COLUMN city;
ALTER TABLE customers DROP COLUMN postcode;
