-- The catalogue.
-- +goose Up
CREATE TABLE books (
    id     INTEGER PRIMARY KEY,
    title  TEXT NOT NULL,
    author TEXT
);

-- +goose Down
DROP TABLE books;
