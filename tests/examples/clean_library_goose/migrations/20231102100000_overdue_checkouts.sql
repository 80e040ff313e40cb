-- The overdue list, with who to call.
-- +goose Up
CREATE VIEW overdue_checkouts AS
SELECT c.id AS checkout_id, m.name, m.email, m.phone_number, b.title, c.due_on
FROM checkouts AS c
JOIN members AS m ON m.id = c.member_id
JOIN books AS b ON b.id = c.book_id
WHERE c.returned_on IS NULL AND c.due_on < date('now');

-- +goose Down
DROP VIEW overdue_checkouts;
