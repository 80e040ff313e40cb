DROP INDEX books_isbn;
ALTER TABLE books DROP COLUMN isbn;
