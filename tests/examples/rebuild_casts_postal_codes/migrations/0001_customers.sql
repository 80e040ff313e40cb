CREATE TABLE customers (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    postal_code TEXT NOT NULL CHECK (length(postal_code) = 5 AND postal_code NOT GLOB '*[^0-9]*')
);
