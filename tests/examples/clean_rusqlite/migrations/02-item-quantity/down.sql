DROP INDEX items_quantity;
ALTER TABLE items RENAME COLUMN quantity TO qty;
CREATE INDEX items_qty ON items(qty);
