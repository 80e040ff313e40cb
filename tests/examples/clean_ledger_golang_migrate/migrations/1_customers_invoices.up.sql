CREATE TABLE customers (
    id         INTEGER PRIMARY KEY,
    email      TEXT NOT NULL,
    full_name  TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
    street     TEXT,
    city       TEXT,
    postcode   TEXT
);
CREATE INDEX customers_email_idx ON customers(email);
CREATE TABLE invoices (
    id           INTEGER PRIMARY KEY,
    customer_id  INTEGER NOT NULL REFERENCES customers(id),
    number       TEXT NOT NULL,
    amount_cents INTEGER NOT NULL,
    status       TEXT NOT NULL DEFAULT 'open',
    issued_on    TEXT NOT NULL DEFAULT (date('now'))
);
CREATE INDEX invoices_customer_id_idx ON invoices(customer_id);
