-- +goose Up
-- Prices are kept in dollars from now on. Planted defect: price_cents / 100 divides two
-- integers, so SQLite truncates: 1999 cents become 19 dollars, 99 cents lost per item.
ALTER TABLE line_items ADD COLUMN price REAL NOT NULL DEFAULT 0;
UPDATE line_items SET price = price_cents / 100;
ALTER TABLE line_items DROP COLUMN price_cents;

-- +goose Down
ALTER TABLE line_items ADD COLUMN price_cents INTEGER NOT NULL DEFAULT 0;
UPDATE line_items SET price_cents = CAST(ROUND(price * 100) AS INTEGER);
ALTER TABLE line_items DROP COLUMN price;
