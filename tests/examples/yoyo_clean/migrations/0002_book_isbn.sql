-- depends: 0001_authors
ALTER TABLE books ADD COLUMN isbn TEXT;
CREATE UNIQUE INDEX books_isbn ON books(isbn);
