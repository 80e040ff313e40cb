-- migrate:up
CREATE TABLE invoices (
    id         INTEGER PRIMARY KEY,
    customer   TEXT NOT NULL,
    total      REAL NOT NULL,
    issued_on  TEXT NOT NULL
);

-- migrate:down
DROP TABLE invoices;
