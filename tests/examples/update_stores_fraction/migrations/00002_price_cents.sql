-- Prices move to whole cents beside the dollars. Planted defect: 19.99 * 100 is
-- 1998.9999999999998 in binary floating point, and INTEGER affinity keeps that REAL
-- as it is: the column the application reads as whole cents holds a fraction.
-- +goose Up
ALTER TABLE items ADD COLUMN price_cents INTEGER;
UPDATE items SET price_cents = price * 100;
-- +goose Down
ALTER TABLE items DROP COLUMN price_cents;
