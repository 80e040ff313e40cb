CREATE TABLE warehouses (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL
);

CREATE TABLE items (
    id           INTEGER PRIMARY KEY,
    warehouse_id INTEGER NOT NULL REFERENCES warehouses(id) ON DELETE CASCADE,
    sku          TEXT NOT NULL,
    qty          INTEGER NOT NULL DEFAULT 0 CHECK (qty >= 0),
    attrs        TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(attrs))
);
CREATE UNIQUE INDEX items_warehouse_sku ON items(warehouse_id, sku);
CREATE INDEX items_qty ON items(qty);
