-- Verify shop:customer_phone_rename on sqlite

BEGIN;

SELECT phone_number FROM customers WHERE 0;

ROLLBACK;
