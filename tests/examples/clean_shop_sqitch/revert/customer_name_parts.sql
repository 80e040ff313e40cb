-- Revert shop:customer_name_parts from sqlite

BEGIN;

ALTER TABLE customers DROP COLUMN last_name;
ALTER TABLE customers DROP COLUMN first_name;

COMMIT;
