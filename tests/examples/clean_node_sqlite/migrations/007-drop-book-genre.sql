-- Up
-- book_genres (003) holds every genre; the column goes. Its rollback puts back each
-- book's genre from the join table, the one it was filled from.
ALTER TABLE books DROP COLUMN genre;

-- Down
ALTER TABLE books ADD COLUMN genre TEXT;
UPDATE books SET genre = (
  SELECT g.name FROM book_genres AS bg JOIN genres AS g ON g.id = bg.genre_id
  WHERE bg.book_id = books.id ORDER BY g.id LIMIT 1
);
