--liquibase formatted sql

--changeset maria:4
--comment: stock on hand per product and warehouse, summed from the moves so far
CREATE TABLE stock_levels (
    product_id   INTEGER NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    warehouse_id INTEGER NOT NULL REFERENCES warehouses(id),
    on_hand      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (product_id, warehouse_id)
);
INSERT INTO stock_levels (product_id, warehouse_id, on_hand)
SELECT product_id, warehouse_id, SUM(delta) FROM stock_moves GROUP BY product_id, warehouse_id;
--rollback DROP TABLE stock_levels;

--changeset maria:5 splitStatements:false
--comment: each new move updates the level (a trigger is one statement: not split)
CREATE TRIGGER stock_moves_apply AFTER INSERT ON stock_moves
BEGIN
    INSERT INTO stock_levels (product_id, warehouse_id, on_hand)
    VALUES (new.product_id, new.warehouse_id, new.delta)
    ON CONFLICT (product_id, warehouse_id) DO UPDATE SET on_hand = on_hand + excluded.on_hand;
END;
--rollback DROP TRIGGER stock_moves_apply;
