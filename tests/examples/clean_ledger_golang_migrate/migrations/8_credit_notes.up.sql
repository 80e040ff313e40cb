-- Void invoices become credit notes: each one is copied, amount and all, into
-- credit_notes, and keeps its row (payments still point at it).
CREATE TABLE credit_notes (
    id           INTEGER PRIMARY KEY,
    invoice_id   INTEGER NOT NULL UNIQUE REFERENCES invoices(id),
    amount_cents INTEGER NOT NULL,
    reason       TEXT NOT NULL DEFAULT 'void',
    created_at   TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO credit_notes (invoice_id, amount_cents, created_at)
SELECT id, amount_cents, issued_on FROM invoices WHERE status = 'void';
