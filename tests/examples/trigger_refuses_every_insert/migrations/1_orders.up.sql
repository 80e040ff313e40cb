CREATE TABLE orders (
    id INTEGER PRIMARY KEY,
    qty INTEGER NOT NULL,
    note TEXT
);
