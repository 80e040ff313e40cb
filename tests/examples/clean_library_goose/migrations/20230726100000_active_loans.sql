-- What is out now, for the desk.
-- +goose Up
CREATE VIEW active_loans AS
SELECT l.id AS loan_id, l.member_id, l.book_id, l.due_on
FROM loans AS l
WHERE l.returned_on IS NULL;

-- +goose Down
DROP VIEW active_loans;
