-- Authors get a table of their own, filled from the names books hold.
-- +goose Up
CREATE TABLE authors (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);
INSERT INTO authors (name) SELECT DISTINCT author FROM books WHERE author IS NOT NULL;

-- +goose Down
DROP TABLE authors;
