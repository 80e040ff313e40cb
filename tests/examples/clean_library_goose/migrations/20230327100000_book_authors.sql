-- Books link to their author through a join table (a book may get more later).
-- +goose Up
CREATE TABLE book_authors (
    book_id   INTEGER NOT NULL REFERENCES books(id) ON DELETE CASCADE,
    author_id INTEGER NOT NULL REFERENCES authors(id),
    PRIMARY KEY (book_id, author_id)
) WITHOUT ROWID;
CREATE INDEX book_authors_author_id_idx ON book_authors(author_id);
INSERT INTO book_authors (book_id, author_id)
SELECT b.id, a.id FROM books AS b JOIN authors AS a ON a.name = b.author;

-- +goose Down
DROP TABLE book_authors;
