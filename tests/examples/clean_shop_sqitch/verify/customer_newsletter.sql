-- Verify shop:customer_newsletter on sqlite

BEGIN;

SELECT newsletter FROM customers WHERE 0;

ROLLBACK;
