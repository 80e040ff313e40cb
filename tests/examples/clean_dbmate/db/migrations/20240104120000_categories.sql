-- A lookup table of categories.
-- migrate:up
CREATE TABLE categories (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);
INSERT INTO categories (name) VALUES ('general'), ('news'), ('howto');

-- migrate:down
DROP TABLE categories;
