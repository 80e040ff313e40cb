-- +goose Up
-- Prices are kept in dollars from now on: / 100.0 keeps the cents.
ALTER TABLE line_items ADD COLUMN price REAL NOT NULL DEFAULT 0;
UPDATE line_items SET price = price_cents / 100.0;
ALTER TABLE line_items DROP COLUMN price_cents;

-- +goose Down
ALTER TABLE line_items ADD COLUMN price_cents INTEGER NOT NULL DEFAULT 0;
UPDATE line_items SET price_cents = CAST(ROUND(price * 100) AS INTEGER);
ALTER TABLE line_items DROP COLUMN price;
