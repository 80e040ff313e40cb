-- Up
CREATE TABLE genres (
  id   INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE
);
INSERT OR IGNORE INTO genres (name) VALUES ('fiction'), ('history'), ('science');
INSERT OR IGNORE INTO genres (name) SELECT DISTINCT genre FROM books WHERE genre IS NOT NULL;

CREATE TABLE book_genres (
  book_id  INTEGER NOT NULL REFERENCES books (id) ON DELETE CASCADE,
  genre_id INTEGER NOT NULL REFERENCES genres (id),
  PRIMARY KEY (book_id, genre_id)
);
INSERT INTO book_genres (book_id, genre_id)
SELECT b.id, g.id FROM books AS b JOIN genres AS g ON g.name = b.genre;

-- Down
DROP TABLE book_genres;
DROP TABLE genres;
