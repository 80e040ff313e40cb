-- postgrator opens no transaction: the file keeps its two statements together itself.
BEGIN;
CREATE TABLE books (
  id INTEGER PRIMARY KEY,
  author_id INTEGER NOT NULL REFERENCES authors (id),
  title TEXT NOT NULL
);
CREATE INDEX books_author_id ON books (author_id);
COMMIT;
