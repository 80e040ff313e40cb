-- The year a book came out, where known.
-- +goose Up
ALTER TABLE books ADD COLUMN published_year INTEGER
    CHECK (published_year IS NULL OR published_year BETWEEN 1000 AND 2100);

-- +goose Down
ALTER TABLE books DROP COLUMN published_year;
