-- Two rows per address crept in through the web form (case differs). Tickets move to the
-- oldest row of each address first: nothing points at the rows deleted after.
UPDATE tickets
SET customer_id = (
    SELECT MIN(k.id) FROM customers AS k, customers AS c
    WHERE c.id = tickets.customer_id AND k.email = c.email COLLATE NOCASE
)
WHERE customer_id NOT IN (SELECT MIN(id) FROM customers GROUP BY email COLLATE NOCASE);

DELETE FROM customers
WHERE id NOT IN (SELECT MIN(id) FROM customers GROUP BY email COLLATE NOCASE);

CREATE UNIQUE INDEX customers_email ON customers(email COLLATE NOCASE);
