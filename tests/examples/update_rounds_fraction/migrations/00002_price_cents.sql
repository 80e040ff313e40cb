-- The clean twin of update_stores_fraction: ROUND gives 1999.0, which INTEGER affinity
-- stores as the integer 1999; the integer division of a whole-number column stays whole.
-- +goose Up
ALTER TABLE items ADD COLUMN price_cents INTEGER;
UPDATE items SET price_cents = ROUND(price * 100);
UPDATE items SET amount = amount / 3;
-- +goose Down
ALTER TABLE items DROP COLUMN price_cents;
