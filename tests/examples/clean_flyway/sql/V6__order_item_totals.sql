-- Order lines get a stored line total and refuse negative prices.
-- Mend what the new CHECK refuses, then rebuild (order_items has no children).
UPDATE order_items SET price_cents = 0 WHERE price_cents < 0;
CREATE TABLE order_items_new (
    id          INTEGER PRIMARY KEY,
    order_id    INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    product_id  INTEGER NOT NULL REFERENCES products(id),
    qty         INTEGER NOT NULL CHECK (qty > 0),
    price_cents INTEGER NOT NULL CHECK (price_cents >= 0),
    line_cents  INTEGER GENERATED ALWAYS AS (qty * price_cents) STORED
);
INSERT INTO order_items_new (id, order_id, product_id, qty, price_cents)
SELECT id, order_id, product_id, qty, price_cents FROM order_items;
DROP TABLE order_items;
ALTER TABLE order_items_new RENAME TO order_items;
CREATE INDEX idx_order_items_order ON order_items(order_id);
CREATE INDEX idx_order_items_product ON order_items(product_id);
