-- Revert shop:customer_phone_rename from sqlite

BEGIN;

ALTER TABLE customers RENAME COLUMN phone_number TO phone;

COMMIT;
