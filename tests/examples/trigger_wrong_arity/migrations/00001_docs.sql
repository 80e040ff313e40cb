-- +goose Up
CREATE TABLE docs (id INTEGER PRIMARY KEY, title TEXT NOT NULL, initial TEXT);
-- +goose Down
DROP TABLE docs;
