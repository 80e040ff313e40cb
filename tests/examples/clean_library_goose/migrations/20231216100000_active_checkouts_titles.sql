-- The desk's view shows the title and the borrower's name too.
-- +goose Up
DROP VIEW active_checkouts;
CREATE VIEW active_checkouts AS
SELECT c.id AS checkout_id, c.member_id, m.name AS member_name, c.book_id, b.title, c.due_on
FROM checkouts AS c
JOIN members AS m ON m.id = c.member_id
JOIN books AS b ON b.id = c.book_id
WHERE c.returned_on IS NULL;

-- +goose Down
DROP VIEW active_checkouts;
CREATE VIEW active_checkouts AS
SELECT c.id AS checkout_id, c.member_id, c.book_id, c.due_on
FROM checkouts AS c
WHERE c.returned_on IS NULL;
