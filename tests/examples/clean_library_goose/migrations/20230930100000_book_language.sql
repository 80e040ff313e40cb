-- The language of a book, as a two-letter code.
-- +goose Up
ALTER TABLE books ADD COLUMN language TEXT NOT NULL DEFAULT 'en' CHECK (length(language) = 2);

-- +goose Down
ALTER TABLE books DROP COLUMN language;
