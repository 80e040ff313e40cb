-- Up
CREATE TABLE books (
  id INTEGER PRIMARY KEY,
  author_id INTEGER NOT NULL REFERENCES authors (id),
  title TEXT NOT NULL
);
CREATE INDEX books_author_id ON books (author_id);

-- Down
DROP INDEX books_author_id;
DROP TABLE books;
