-- A late return is fined ten cents a day, by the trigger.
-- +goose Up
-- +goose StatementBegin
CREATE TRIGGER checkouts_fine_late_return AFTER UPDATE OF returned_on ON checkouts
WHEN old.returned_on IS NULL AND date(new.returned_on) > date(new.due_on)
BEGIN
    INSERT INTO fines (checkout_id, amount_cents)
    VALUES (
        new.id,
        10 * CAST(julianday(date(new.returned_on)) - julianday(date(new.due_on)) AS INTEGER)
    );
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER checkouts_fine_late_return;
