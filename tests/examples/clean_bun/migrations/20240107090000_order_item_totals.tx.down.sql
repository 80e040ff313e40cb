CREATE TABLE order_items_old (
    id          INTEGER PRIMARY KEY,
    order_id    INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    product_id  INTEGER NOT NULL REFERENCES products(id),
    qty         INTEGER NOT NULL CHECK (qty > 0),
    price_cents INTEGER NOT NULL
);
INSERT INTO order_items_old (id, order_id, product_id, qty, price_cents)
SELECT id, order_id, product_id, qty, price_cents FROM order_items;
DROP TABLE order_items;
ALTER TABLE order_items_old RENAME TO order_items;
CREATE INDEX idx_order_items_order ON order_items(order_id);
CREATE INDEX idx_order_items_product ON order_items(product_id);
