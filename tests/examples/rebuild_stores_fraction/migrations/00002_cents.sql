-- Prices move to whole cents in a rebuild. Planted defect: the copy's price * 100 gives
-- 1998.9999999999998 for 19.99, which INTEGER affinity keeps as a REAL.
-- +goose Up
CREATE TABLE items_new (id INTEGER PRIMARY KEY, name TEXT NOT NULL, price_cents INTEGER NOT NULL);
INSERT INTO items_new (id, name, price_cents) SELECT id, name, price * 100 FROM items;
DROP TABLE items;
ALTER TABLE items_new RENAME TO items;
-- +goose Down
CREATE TABLE items_old (id INTEGER PRIMARY KEY, name TEXT NOT NULL, price REAL NOT NULL);
INSERT INTO items_old (id, name, price) SELECT id, name, price_cents / 100.0 FROM items;
DROP TABLE items;
ALTER TABLE items_old RENAME TO items;
