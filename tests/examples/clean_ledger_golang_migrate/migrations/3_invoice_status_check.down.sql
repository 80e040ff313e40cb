CREATE TABLE invoices_old (
    id           INTEGER PRIMARY KEY,
    customer_id  INTEGER NOT NULL REFERENCES customers(id),
    number       TEXT NOT NULL,
    amount_cents INTEGER NOT NULL,
    status       TEXT NOT NULL DEFAULT 'open',
    issued_on    TEXT NOT NULL DEFAULT (date('now'))
);
INSERT INTO invoices_old (id, customer_id, number, amount_cents, status, issued_on)
SELECT id, customer_id, number, amount_cents, status, issued_on FROM invoices;
DROP TABLE invoices;
ALTER TABLE invoices_old RENAME TO invoices;
CREATE INDEX invoices_customer_id_idx ON invoices(customer_id);
