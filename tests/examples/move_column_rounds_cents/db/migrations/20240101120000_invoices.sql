-- migrate:up
CREATE TABLE invoices (
    id         INTEGER PRIMARY KEY,
    customer   TEXT NOT NULL,
    issued_on  TEXT NOT NULL,
    total      REAL NOT NULL DEFAULT 0
);

-- migrate:down
DROP TABLE invoices;
