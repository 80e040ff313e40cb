-- members.phone is renamed phone_number, as the API calls it.
-- +goose Up
ALTER TABLE members RENAME COLUMN phone TO phone_number;

-- +goose Down
ALTER TABLE members RENAME COLUMN phone_number TO phone;
