-- +goose Up
CREATE TABLE items (
    id     INTEGER PRIMARY KEY,
    name   TEXT NOT NULL,
    price  REAL NOT NULL,
    amount INTEGER NOT NULL DEFAULT 0
);
-- +goose Down
DROP TABLE items;
