-- ISBNs, unique where known.
-- +goose Up
ALTER TABLE books ADD COLUMN isbn TEXT;
CREATE UNIQUE INDEX books_isbn_key ON books(isbn) WHERE isbn IS NOT NULL;

-- +goose Down
DROP INDEX books_isbn_key;
ALTER TABLE books DROP COLUMN isbn;
