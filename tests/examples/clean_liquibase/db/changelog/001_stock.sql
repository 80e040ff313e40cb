--liquibase formatted sql

--changeset maria:1
--comment: products and their stock movements
CREATE TABLE products (
    id          INTEGER PRIMARY KEY,
    sku         TEXT NOT NULL,
    name        TEXT NOT NULL,
    price_cents INTEGER NOT NULL CHECK (price_cents >= 0),
    attributes  TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(attributes))
);
CREATE UNIQUE INDEX ux_products_sku ON products(sku);
CREATE TABLE stock_moves (
    id         INTEGER PRIMARY KEY,
    product_id INTEGER NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    delta      INTEGER NOT NULL,
    note       TEXT,
    moved_at   TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX ix_stock_moves_product ON stock_moves(product_id);
--rollback DROP TABLE stock_moves;
--rollback DROP TABLE products;

--changeset maria:2
--comment: warehouses, starting with the one every shop has
CREATE TABLE warehouses (
    id   INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL
);
INSERT INTO warehouses (code, name) VALUES ('MAIN', 'Main warehouse');
--rollback DROP TABLE warehouses;

--changeset maria:3
--comment: every stock move happens in a warehouse; the existing ones in MAIN
INSERT OR IGNORE INTO warehouses (code, name) VALUES ('MAIN', 'Main warehouse');
CREATE TABLE stock_moves_new (
    id           INTEGER PRIMARY KEY,
    product_id   INTEGER NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    warehouse_id INTEGER NOT NULL REFERENCES warehouses(id),
    delta        INTEGER NOT NULL,
    note         TEXT,
    moved_at     TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO stock_moves_new (id, product_id, warehouse_id, delta, note, moved_at)
SELECT m.id, m.product_id, w.id, m.delta, m.note, m.moved_at
FROM stock_moves AS m
JOIN warehouses AS w ON w.code = 'MAIN';
DROP TABLE stock_moves;
ALTER TABLE stock_moves_new RENAME TO stock_moves;
CREATE INDEX ix_stock_moves_product ON stock_moves(product_id);
CREATE INDEX ix_stock_moves_warehouse ON stock_moves(warehouse_id);
/* liquibase rollback
CREATE TABLE stock_moves_old (
    id         INTEGER PRIMARY KEY,
    product_id INTEGER NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    delta      INTEGER NOT NULL,
    note       TEXT,
    moved_at   TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO stock_moves_old (id, product_id, delta, note, moved_at)
SELECT id, product_id, delta, note, moved_at FROM stock_moves;
DROP TABLE stock_moves;
ALTER TABLE stock_moves_old RENAME TO stock_moves;
CREATE INDEX ix_stock_moves_product ON stock_moves(product_id);
*/
