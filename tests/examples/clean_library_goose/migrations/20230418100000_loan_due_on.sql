-- Every loan gets a due date: three weeks after it was loaned (today's for a
-- loan whose date is unreadable), then the column becomes NOT NULL. loans has no
-- children, so rebuilding it cascades nothing.
-- +goose Up
ALTER TABLE loans ADD COLUMN due_on TEXT;
UPDATE loans
SET due_on = coalesce(date(loaned_on, '+21 days'), date('now', '+21 days'))
WHERE due_on IS NULL;
CREATE TABLE loans_new (
    id          INTEGER PRIMARY KEY,
    member_id   INTEGER NOT NULL REFERENCES members(id),
    book_id     INTEGER NOT NULL REFERENCES books(id),
    loaned_on   TEXT NOT NULL DEFAULT (date('now')),
    due_on      TEXT NOT NULL,
    returned_on TEXT
);
INSERT INTO loans_new (id, member_id, book_id, loaned_on, due_on, returned_on)
SELECT id, member_id, book_id, loaned_on, due_on, returned_on FROM loans;
DROP TABLE loans;
ALTER TABLE loans_new RENAME TO loans;
CREATE INDEX loans_member_id_idx ON loans(member_id);
CREATE INDEX loans_book_id_idx ON loans(book_id);

-- +goose Down
CREATE TABLE loans_old (
    id          INTEGER PRIMARY KEY,
    member_id   INTEGER NOT NULL REFERENCES members(id),
    book_id     INTEGER NOT NULL REFERENCES books(id),
    loaned_on   TEXT NOT NULL DEFAULT (date('now')),
    returned_on TEXT
);
INSERT INTO loans_old (id, member_id, book_id, loaned_on, returned_on)
SELECT id, member_id, book_id, loaned_on, returned_on FROM loans;
DROP TABLE loans;
ALTER TABLE loans_old RENAME TO loans;
CREATE INDEX loans_member_id_idx ON loans(member_id);
CREATE INDEX loans_book_id_idx ON loans(book_id);
