CREATE TABLE items_new (
    id INTEGER PRIMARY KEY,
    price_cents INTEGER NOT NULL,
    qty INTEGER NOT NULL,
    total_cents INTEGER GENERATED ALWAYS AS (price_cents * qty) VIRTUAL,
    sku TEXT
);
INSERT INTO items_new (id, price_cents, qty) SELECT id, price_cents, qty FROM items;
DROP TABLE items;
ALTER TABLE items_new RENAME TO items;
