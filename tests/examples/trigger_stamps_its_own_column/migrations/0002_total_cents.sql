-- Totals in integer cents beside the REAL ones; orders_touch fires only on a change of
-- the customer or the total, so the backfill leaves updated_at alone.
ALTER TABLE orders ADD COLUMN total_cents INTEGER;
UPDATE orders SET total_cents = CAST(ROUND(total * 100) AS INTEGER);
