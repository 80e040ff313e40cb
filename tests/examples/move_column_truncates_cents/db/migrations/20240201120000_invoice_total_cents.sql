-- migrate:up
-- Totals move to integer cents in a column of their own. Planted defect: CAST truncates,
-- and 19.99 * 100 is 1998.9999999999998 in binary floating point: 19.99 becomes 1998.
ALTER TABLE invoices ADD COLUMN total_cents INTEGER NOT NULL DEFAULT 0;
UPDATE invoices SET total_cents = CAST(total * 100 AS INTEGER);
ALTER TABLE invoices DROP COLUMN total;

-- migrate:down
ALTER TABLE invoices ADD COLUMN total REAL NOT NULL DEFAULT 0;
UPDATE invoices SET total = total_cents / 100.0;
ALTER TABLE invoices DROP COLUMN total_cents;
