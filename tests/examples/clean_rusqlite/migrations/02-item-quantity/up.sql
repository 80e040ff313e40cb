-- The column gets its full name; its index is renamed with it.
ALTER TABLE items RENAME COLUMN qty TO quantity;
DROP INDEX items_qty;
CREATE INDEX items_quantity ON items(quantity);
