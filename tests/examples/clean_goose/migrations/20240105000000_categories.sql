-- A lookup table of categories.
-- +goose Up
CREATE TABLE categories (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);
INSERT INTO categories (name) VALUES ('general'), ('news'), ('howto');

-- +goose Down
DROP TABLE categories;
