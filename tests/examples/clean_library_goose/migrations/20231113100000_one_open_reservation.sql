-- A member holds at most one open reservation of a book: later duplicates of
-- an open one are withdrawn (they would be fulfilled by the same checkout anyway).
-- +goose Up
DELETE FROM reservations
WHERE fulfilled_at IS NULL
  AND EXISTS (
      SELECT 1 FROM reservations AS o
      WHERE o.member_id = reservations.member_id AND o.book_id = reservations.book_id
        AND o.fulfilled_at IS NULL AND o.id < reservations.id
  );
CREATE UNIQUE INDEX reservations_open_key ON reservations(member_id, book_id)
WHERE fulfilled_at IS NULL;

-- +goose Down
DROP INDEX reservations_open_key;
