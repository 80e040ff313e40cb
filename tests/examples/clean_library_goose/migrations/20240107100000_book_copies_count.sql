-- How many copies a branch holds of a book; one each so far.
-- +goose Up
ALTER TABLE books ADD COLUMN copies INTEGER NOT NULL DEFAULT 1 CHECK (copies >= 0);

-- +goose Down
ALTER TABLE books DROP COLUMN copies;
