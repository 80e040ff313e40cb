-- +goose Up
CREATE TABLE line_items (
    id          INTEGER PRIMARY KEY,
    sku         TEXT NOT NULL,
    quantity    INTEGER NOT NULL CHECK (quantity > 0),
    price_cents INTEGER NOT NULL DEFAULT 0
);

-- +goose Down
DROP TABLE line_items;
