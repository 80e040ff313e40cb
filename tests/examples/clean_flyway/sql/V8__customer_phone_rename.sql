-- phone becomes phone_number.
ALTER TABLE customers RENAME COLUMN phone TO phone_number;
