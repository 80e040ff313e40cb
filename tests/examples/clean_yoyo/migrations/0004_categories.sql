-- A lookup table of categories.
-- depends: 0003_unique_author_email

CREATE TABLE categories (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);
INSERT INTO categories (name) VALUES ('general'), ('news'), ('howto');
