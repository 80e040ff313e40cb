-- phone becomes phone_number.
-- migrate:up
ALTER TABLE customers RENAME COLUMN phone TO phone_number;

-- migrate:down
ALTER TABLE customers RENAME COLUMN phone_number TO phone;
