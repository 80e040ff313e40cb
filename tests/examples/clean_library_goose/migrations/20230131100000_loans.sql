-- A member borrows a book.
-- +goose Up
CREATE TABLE loans (
    id          INTEGER PRIMARY KEY,
    member_id   INTEGER NOT NULL REFERENCES members(id),
    book_id     INTEGER NOT NULL REFERENCES books(id),
    loaned_on   TEXT NOT NULL DEFAULT (date('now')),
    returned_on TEXT
);
CREATE INDEX loans_member_id_idx ON loans(member_id);
CREATE INDEX loans_book_id_idx ON loans(book_id);

-- +goose Down
DROP TABLE loans;
