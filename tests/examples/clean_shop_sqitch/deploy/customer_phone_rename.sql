-- Deploy shop:customer_phone_rename to sqlite

BEGIN;

ALTER TABLE customers RENAME COLUMN phone TO phone_number;

COMMIT;
