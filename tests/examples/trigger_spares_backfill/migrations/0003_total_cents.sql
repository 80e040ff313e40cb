-- The backfill updates every order; the guard only watches status changes, so the quiet
-- twin of trigger_blocks_backfill.
ALTER TABLE orders ADD COLUMN total_cents INTEGER NOT NULL DEFAULT 0;
UPDATE orders SET total_cents = CAST(round(total * 100) AS INTEGER);
