-- phone becomes phone_number.
-- +goose Up
ALTER TABLE customers RENAME COLUMN phone TO phone_number;

-- +goose Down
ALTER TABLE customers RENAME COLUMN phone_number TO phone;
