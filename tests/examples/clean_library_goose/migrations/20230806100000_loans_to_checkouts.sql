-- loans is renamed checkouts. The view and the trigger reading it are made again
-- under the new names (RENAME TO would only rewrite their bodies).
-- +goose Up
DROP VIEW active_loans;
DROP TRIGGER loans_fulfil_reservation;
ALTER TABLE loans RENAME TO checkouts;
DROP INDEX loans_member_id_idx;
DROP INDEX loans_book_id_idx;
CREATE INDEX checkouts_member_id_idx ON checkouts(member_id);
CREATE INDEX checkouts_book_id_idx ON checkouts(book_id);
CREATE VIEW active_checkouts AS
SELECT c.id AS checkout_id, c.member_id, c.book_id, c.due_on
FROM checkouts AS c
WHERE c.returned_on IS NULL;
-- +goose StatementBegin
CREATE TRIGGER checkouts_fulfil_reservation AFTER INSERT ON checkouts
BEGIN
    UPDATE reservations SET fulfilled_at = CURRENT_TIMESTAMP
    WHERE member_id = new.member_id AND book_id = new.book_id AND fulfilled_at IS NULL;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER checkouts_fulfil_reservation;
DROP VIEW active_checkouts;
DROP INDEX checkouts_book_id_idx;
DROP INDEX checkouts_member_id_idx;
ALTER TABLE checkouts RENAME TO loans;
CREATE INDEX loans_member_id_idx ON loans(member_id);
CREATE INDEX loans_book_id_idx ON loans(book_id);
CREATE VIEW active_loans AS
SELECT l.id AS loan_id, l.member_id, l.book_id, l.due_on
FROM loans AS l
WHERE l.returned_on IS NULL;
-- +goose StatementBegin
CREATE TRIGGER loans_fulfil_reservation AFTER INSERT ON loans
BEGIN
    UPDATE reservations SET fulfilled_at = CURRENT_TIMESTAMP
    WHERE member_id = new.member_id AND book_id = new.book_id AND fulfilled_at IS NULL;
END;
-- +goose StatementEnd
