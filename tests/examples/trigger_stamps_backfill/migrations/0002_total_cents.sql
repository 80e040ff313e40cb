-- Totals in integer cents beside the REAL ones. Planted defect: the backfill fires
-- orders_touch on every row, and each order's updated_at becomes the deploy's time.
ALTER TABLE orders ADD COLUMN total_cents INTEGER;
UPDATE orders SET total_cents = CAST(ROUND(total * 100) AS INTEGER);
