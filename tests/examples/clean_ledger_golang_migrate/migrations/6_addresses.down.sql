ALTER TABLE customers ADD COLUMN street TEXT;
ALTER TABLE customers ADD COLUMN city TEXT;
ALTER TABLE customers ADD COLUMN postcode TEXT;
UPDATE customers
SET street = a.street, city = a.city, postcode = a.postcode
FROM addresses AS a
WHERE a.customer_id = customers.id;
DROP TABLE addresses;
