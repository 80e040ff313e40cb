-- An optional phone number.
-- +goose Up
ALTER TABLE members ADD COLUMN phone TEXT;

-- +goose Down
ALTER TABLE members DROP COLUMN phone;
