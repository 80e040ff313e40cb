-- A lookup table of categories.
-- +migrate Up
CREATE TABLE categories (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);
INSERT INTO categories (name) VALUES ('general'), ('news'), ('howto');

-- +migrate Down
DROP TABLE categories;
