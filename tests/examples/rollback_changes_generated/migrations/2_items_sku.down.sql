CREATE TABLE items_old (
    id INTEGER PRIMARY KEY,
    price_cents INTEGER NOT NULL,
    qty INTEGER NOT NULL,
    total_cents INTEGER GENERATED ALWAYS AS (price_cents + qty) VIRTUAL
);
INSERT INTO items_old (id, price_cents, qty) SELECT id, price_cents, qty FROM items;
DROP TABLE items;
ALTER TABLE items_old RENAME TO items;
