-- +micrate Up
CREATE TABLE books (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  author_id INTEGER NOT NULL REFERENCES authors (id),
  title TEXT NOT NULL,
  updated_at TEXT
);
CREATE INDEX books_author_id ON books (author_id);

-- +micrate StatementBegin
CREATE TRIGGER books_touch AFTER UPDATE OF title ON books
BEGIN
  UPDATE books SET updated_at = 'changed' WHERE id = NEW.id;
END;
-- +micrate StatementEnd

-- +micrate Down
DROP TRIGGER books_touch;
DROP INDEX books_author_id;
DROP TABLE books;
