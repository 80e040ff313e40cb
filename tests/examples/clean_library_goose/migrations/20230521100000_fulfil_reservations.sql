-- A loan fulfils the borrower's open reservation of that book.
-- +goose Up
-- +goose StatementBegin
CREATE TRIGGER loans_fulfil_reservation AFTER INSERT ON loans
BEGIN
    UPDATE reservations SET fulfilled_at = CURRENT_TIMESTAMP
    WHERE member_id = new.member_id AND book_id = new.book_id AND fulfilled_at IS NULL;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER loans_fulfil_reservation;
