-- migrate:up
ALTER TABLE clients RENAME TO customers;

-- migrate:down
DROP TABLE customers;
CREATE TABLE clients (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
