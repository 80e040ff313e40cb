-- Planted defect: the backfill updates every order, and the 0002 guard refuses it on any
-- order shipped without a tracking code, so the file fails in production.
ALTER TABLE orders ADD COLUMN total_cents INTEGER NOT NULL DEFAULT 0;
UPDATE orders SET total_cents = CAST(round(total * 100) AS INTEGER);
