-- Verify shop:customer_name_parts on sqlite

BEGIN;

SELECT first_name, last_name FROM customers WHERE 0;

ROLLBACK;
