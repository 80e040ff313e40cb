-- migrate:up
-- Totals move to integer cents in a column of their own, rounded to the cent.
ALTER TABLE invoices ADD COLUMN total_cents INTEGER NOT NULL DEFAULT 0;
UPDATE invoices SET total_cents = CAST(ROUND(total * 100) AS INTEGER);
ALTER TABLE invoices DROP COLUMN total;

-- migrate:down
ALTER TABLE invoices ADD COLUMN total REAL NOT NULL DEFAULT 0;
UPDATE invoices SET total = total_cents / 100.0;
ALTER TABLE invoices DROP COLUMN total_cents;
