-- invoices.status gets a CHECK. Statuses written before the application validated them
-- are mended to 'open' (an unknown status was never paid nor voided), then the table is
-- rebuilt: it has no children yet, so nothing cascades.
UPDATE invoices SET status = 'open' WHERE status NOT IN ('open', 'paid', 'void');
CREATE TABLE invoices_new (
    id           INTEGER PRIMARY KEY,
    number       TEXT NOT NULL,
    customer_id  INTEGER NOT NULL REFERENCES customers(id),
    status       TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'paid', 'void')),
    amount_cents INTEGER NOT NULL,
    issued_on    TEXT NOT NULL DEFAULT (date('now'))
);
INSERT INTO invoices_new (id, customer_id, number, amount_cents, status, issued_on)
SELECT id, customer_id, number, amount_cents, status, issued_on FROM invoices;
DROP TABLE invoices;
ALTER TABLE invoices_new RENAME TO invoices;
CREATE INDEX invoices_customer_id_idx ON invoices(customer_id);
