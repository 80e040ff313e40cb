-- One customer per email, whatever its case. Invoices of a later duplicate move to the
-- oldest customer with that email; then the duplicates go and the key is enforced.
UPDATE invoices
SET customer_id = (
    SELECT MIN(keep.id)
    FROM customers AS dup
    JOIN customers AS keep ON lower(keep.email) = lower(dup.email)
    WHERE dup.id = invoices.customer_id
)
WHERE customer_id IN (
    SELECT c.id FROM customers AS c
    WHERE EXISTS (
        SELECT 1 FROM customers AS o WHERE lower(o.email) = lower(c.email) AND o.id < c.id
    )
);
DELETE FROM customers
WHERE EXISTS (
    SELECT 1 FROM customers AS o
    WHERE lower(o.email) = lower(customers.email) AND o.id < customers.id
);
DROP INDEX customers_email_idx;
CREATE UNIQUE INDEX customers_email_key ON customers(lower(email));
