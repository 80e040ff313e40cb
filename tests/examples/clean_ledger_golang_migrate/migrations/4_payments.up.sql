-- Payments against invoices. invoices.paid_cents is kept by the triggers (every invoice
-- starts with nothing paid: no payment exists yet), and an invoice paid in full is marked
-- paid.
CREATE TABLE payments (
    id           INTEGER PRIMARY KEY,
    invoice_id   INTEGER NOT NULL REFERENCES invoices(id) ON DELETE CASCADE,
    amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
    paid_at      TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX payments_invoice_id_idx ON payments(invoice_id);
ALTER TABLE invoices ADD COLUMN paid_cents INTEGER NOT NULL DEFAULT 0;
CREATE TRIGGER payments_ai AFTER INSERT ON payments
BEGIN
    UPDATE invoices SET paid_cents = paid_cents + new.amount_cents WHERE id = new.invoice_id;
    UPDATE invoices SET status = 'paid'
    WHERE id = new.invoice_id AND status = 'open' AND paid_cents >= amount_cents;
END;
CREATE TRIGGER payments_ad AFTER DELETE ON payments
BEGIN
    UPDATE invoices SET paid_cents = paid_cents - old.amount_cents WHERE id = old.invoice_id;
END;
