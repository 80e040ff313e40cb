-- migrate:up
CREATE TABLE clients (id INTEGER PRIMARY KEY, name TEXT NOT NULL);

-- migrate:down
DROP TABLE clients;
