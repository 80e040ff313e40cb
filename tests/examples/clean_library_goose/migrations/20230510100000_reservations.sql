-- Members reserve books that are out.
-- +goose Up
CREATE TABLE reservations (
    id           INTEGER PRIMARY KEY,
    member_id    INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    book_id      INTEGER NOT NULL REFERENCES books(id) ON DELETE CASCADE,
    reserved_at  TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
    fulfilled_at TEXT
);
CREATE INDEX reservations_member_id_idx ON reservations(member_id);
CREATE INDEX reservations_book_id_idx ON reservations(book_id);

-- +goose Down
DROP TABLE reservations;
