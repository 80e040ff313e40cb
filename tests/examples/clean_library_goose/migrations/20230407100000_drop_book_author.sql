-- books.author is read from book_authors now; the column goes. The rollback
-- puts each book's author back from its link.
-- +goose Up
ALTER TABLE books DROP COLUMN author;

-- +goose Down
ALTER TABLE books ADD COLUMN author TEXT;
UPDATE books
SET author = (
    SELECT a.name FROM book_authors AS ba JOIN authors AS a ON a.id = ba.author_id
    WHERE ba.book_id = books.id ORDER BY ba.author_id LIMIT 1
);
